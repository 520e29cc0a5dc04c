using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Twilio.ChatRooms.Emulator.Resources.Conversations;
using Twilio.ChatRooms.Emulator.Resources.Messages;
using Twilio.ChatRooms.Emulator.Resources.Participants;
using Twilio.ChatRooms.Emulator.Resources.Roles;
using Twilio.ChatRooms.Emulator.Resources.Services;
using Twilio.ChatRooms.Emulator.Resources.Users;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Admin;

/// <summary>How many records a reset removed or a seed created.</summary>
internal sealed record StateCounts(int Roles, int Users, int Conversations, int Participants, int Messages);

/// <summary>
/// The emulator's own tools over its state: a reset back to a new service (the credentials and the service's SID stay),
/// and a seed applied through the same rules as the REST API.
/// </summary>
internal sealed class AdminRules(EmulatorStore store, ServiceRules services, TimeProvider time, ILogger<AdminRules> logger)
{
    /// <summary>
    /// Removes every conversation (with its participants and messages), user, SMS text and role of its own, and gives
    /// the default roles their default permissions, in one write. Connected clients see each conversation removed, as
    /// when it is deleted over REST.
    /// </summary>
    public StateCounts Reset()
    {
        using var writes = WriteOrigin.Use(null);   // the emulator's own tool: no webhook
        var counts = store.Write(s =>
        {
            var service = s.Services.Get(services.DefaultServiceSid);
            int participants = 0, messages = 0;
            var conversations = s.Conversations.Values.OrderBy(c => c.Seq).ToList();
            foreach (var conversation in conversations)
            {
                var removed = s.Participants.In(conversation.Sid).ToList();
                foreach (var participant in removed)
                {
                    s.Participants.Remove(participant);
                }

                participants += removed.Count;
                messages += s.Messages.In(conversation.Sid).Count;
                s.Messages.RemoveAllIn(conversation.Sid);
                s.Webhooks.RemoveAllIn(conversation.Sid);
                s.Conversations.Remove(conversation);
                s.Raise(new ConversationRemoved(conversation, removed));
            }

            var users = s.Users.Values.ToList();
            foreach (var user in users)
            {
                s.Users.Remove(user);
            }

            var roles = ResetRoles(s, service);
            s.Outbox.Clear();
            return new StateCounts(roles, users.Count, conversations.Count, participants, messages);
        });
        Log.StateReset(logger, counts.Conversations, counts.Users, counts.Roles);
        return counts;
    }

    /// <summary>
    /// Applies <paramref name="seed"/> to the default service. It is tried first on an empty state of its own, and checked
    /// against the names already taken here, so a seed that Twilio's rules would refuse changes nothing.
    /// </summary>
    public StateCounts Seed(EmulatorSeed seed)
    {
        using var writes = WriteOrigin.Use(null);   // the emulator's own tool: no webhook
        var taken = store.Read(s =>
        {
            var serviceSid = services.DefaultServiceSid;
            var users = (seed.Users ?? []).Select(u => u.Identity).FirstOrDefault(i => i is not null && s.Users.Find(serviceSid, i) is not null);
            var names = (seed.Conversations ?? []).Select(c => c.UniqueName)
                .FirstOrDefault(n => !string.IsNullOrEmpty(n) && s.Conversations.Values.Any(c => c.ServiceSid == serviceSid && c.UniqueName == n));
            return users is not null ? $"user {users}" : names is not null ? $"conversation {names}" : null;
        });
        if (taken is not null)
        {
            throw TwilioErrors.Conflict(TwilioErrors.InvalidParameter, $"The seed's {taken} already exists: reset the emulator first, or leave it out");
        }

        // The dry run: the same rules on a throwaway state, so an entry they refuse is found before anything is written.
        using (var scratch = new EmulatorStore(new NoPersistence(), [], NullLogger<EmulatorStore>.Instance))
        {
            Apply(scratch, new ServiceRules(scratch, time), seed);
        }

        var counts = Apply(store, services, seed);
        Log.StateSeeded(logger, counts.Conversations, counts.Users, counts.Roles, counts.Messages);
        return counts;
    }

    private StateCounts Apply(EmulatorStore target, ServiceRules targetServices, EmulatorSeed seed)
    {
        var serviceSid = targetServices.DefaultServiceSid;
        var roles = new RoleRules(target, time, NullLogger<RoleRules>.Instance);
        var users = new UserRules(target, time, NullLogger<UserRules>.Instance);
        var conversations = new ConversationRules(target, time, NullLogger<ConversationRules>.Instance);
        var participants = new ParticipantRules(target, time, NullLogger<ParticipantRules>.Instance);
        var messages = new MessageRules(target, time, NullLogger<MessageRules>.Instance);

        var roleSids = roles.List(serviceSid).GroupBy(r => r.FriendlyName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Sid, StringComparer.Ordinal);
        foreach (var (role, i) in (seed.Roles ?? []).Select((r, i) => (r, i)))
        {
            var created = At($"roles[{i}]", () => roles.Create(serviceSid, role.Name, role.Type, role.Permissions ?? []));
            roleSids[created.FriendlyName] = created.Sid;
        }

        string? RoleSid(string? name, string where) => name is null
            ? null
            : roleSids.TryGetValue(name, out var sid)
                ? sid
                : throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, $"{where}.role: no role is named '{name}'");

        foreach (var (user, i) in (seed.Users ?? []).Select((u, i) => (u, i)))
        {
            At($"users[{i}]", () => users.Create(serviceSid, user.Identity, RoleSid(user.Role, $"users[{i}]"), user.FriendlyName,
                user.Attributes?.ToJsonString()));
        }

        int participantCount = 0, messageCount = 0;
        foreach (var (conversation, i) in (seed.Conversations ?? []).Select((c, i) => (c, i)))
        {
            var where = $"conversations[{i}]";
            var created = At(where, () => conversations.Create(Actor.Account, serviceSid, conversation.FriendlyName, conversation.UniqueName,
                conversation.Attributes?.ToJsonString(), null));
            foreach (var (participant, j) in (conversation.Participants ?? []).Select((p, j) => (p, j)))
            {
                At($"{where}.participants[{j}]", () => participants.Create(Actor.Account, serviceSid, created.Sid, participant.Identity,
                    RoleSid(participant.Role, $"{where}.participants[{j}]"), null, participant.Address, participant.ProxyAddress));
                participantCount++;
            }

            foreach (var (message, j) in (conversation.Messages ?? []).Select((m, j) => (m, j)))
            {
                At($"{where}.messages[{j}]", () => messages.Create(Actor.Account, serviceSid, created.Sid, message.Author, message.Body,
                    message.Attributes?.ToJsonString()));
                messageCount++;
            }
        }

        return new StateCounts(seed.Roles?.Count ?? 0, seed.Users?.Count ?? 0, seed.Conversations?.Count ?? 0, participantCount, messageCount);
    }

    /// <summary>Runs one entry's step; Twilio's refusal names the entry.</summary>
    private static T At<T>(string where, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (EmulatorException e) when (!e.Message.StartsWith(where, StringComparison.Ordinal))
        {
            throw new EmulatorException(e.Status, e.Code, $"{where}: {e.Message}");
        }
    }

    /// <summary>Removes the service's own roles and puts the default roles' permissions back; the count removed.</summary>
    private static int ResetRoles(EmulatorState s, ServiceRecord service)
    {
        var roles = s.Roles.Values.Where(r => r.ServiceSid == service.Sid).OrderBy(r => r.Seq).ToList();
        var defaults = new HashSet<string>(StringComparer.Ordinal)
        {
            service.DefaultServiceRoleSid, service.DefaultConversationRoleSid, service.DefaultConversationCreatorRoleSid,
        };

        // The one default role the service does not name ("service admin") is the first role of that name and type.
        if (roles.FirstOrDefault(r => r.FriendlyName == "service admin" && r.Type == TwilioPermissions.ServiceType) is { } serviceAdmin)
        {
            defaults.Add(serviceAdmin.Sid);
        }

        var removed = 0;
        foreach (var role in roles)
        {
            if (!defaults.Contains(role.Sid))
            {
                s.Roles.Remove(role);
                removed++;
            }
            else if (ServiceRules.DefaultRoles.FirstOrDefault(d => d.Name == role.FriendlyName && d.Type == role.Type) is { Permissions: { } permissions }
                && !role.Permissions.SequenceEqual(permissions))
            {
                s.Roles.Replace(role with { Permissions = permissions });
            }
        }

        return removed;
    }
}

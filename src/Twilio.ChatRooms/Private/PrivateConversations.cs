using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Http;

namespace Twilio.ChatRooms;

/// <summary>
/// One conversation per unordered pair of users. Its unique name is derived from the pair, so Twilio's uniqueness check
/// makes concurrent starts converge on one conversation; its attributes mark it private, so it is never a room.
/// </summary>
internal sealed class PrivateConversations(
    TwilioRest rest,
    ChatRoomsLookups lookups,
    ILogger<PrivateConversations> logger) : IPrivateConversations
{
    /// <summary>The start of every private conversation's unique name; no room name may start with it.</summary>
    public const string UniqueNamePrefix = "private:";

    public async Task<PrivateConversation> StartAsync(string identity, string otherIdentity, CancellationToken cancellationToken = default)
    {
        Arguments.Check(identity, "identity", nameof(identity));
        Arguments.Check(otherIdentity, "identity", nameof(otherIdentity));
        if (string.Equals(identity, otherIdentity, StringComparison.Ordinal))
        {
            throw new ArgumentException("A private conversation needs two different users: otherIdentity equals identity.", nameof(otherIdentity));
        }

        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var roleSid = await lookups.GetRoleSidAsync(serviceSid, cancellationToken).ConfigureAwait(false);

        // The other user must exist (nobody is invited into being); the starter is created like at login if missing,
        // since Twilio would otherwise create it with the service's default role when adding it.
        var otherTask = FetchUserAsync(serviceSid, otherIdentity, cancellationToken);
        var starterTask = ChatUsers.CreateAsync(rest, serviceSid, roleSid, identity, cancellationToken);
        await Task.WhenAll(otherTask, starterTask).WaitAsync(cancellationToken).ConfigureAwait(false);

        string[] members = [.. new[] { identity, otherIdentity }.Order(StringComparer.Ordinal)];
        var uniqueName = UniqueName(members[0], members[1]);
        var conversation = await CreateOrFetchAsync(serviceSid, uniqueName, members, cancellationToken).ConfigureAwait(false);
        var sid = conversation.RequiredString("sid");

        var added = await Task.WhenAll(members.Select(member =>
            ChatUsers.AddParticipantAsync(rest, serviceSid, sid, member, cancellationToken))).ConfigureAwait(false);
        if (added.Contains(false))
        {
            throw new ChatRoomsException(
                ChatRoomsErrorKind.NotFound,
                $"The private conversation of '{members[0]}' and '{members[1]}' was deleted while it was being started; start it again.",
                404);
        }

        Log.PrivateConversationStarted(logger, identity, otherIdentity, sid);
        return new PrivateConversation(sid, uniqueName, conversation.String("friendly_name") ?? FriendlyName(members), members);
    }

    /// <summary>
    /// <c>private:</c> + the lowercase hex SHA-256 of the two identities, sorted ordinally, each prefixed with its length:
    /// no two pairs give the same text, whatever characters the identities hold.
    /// </summary>
    internal static string UniqueName(string first, string second)
    {
        var text = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{first.Length}:{first}{second.Length}:{second}");
        return UniqueNamePrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary><c>{"chatrooms":{"kind":"private","members":[...]}}</c>, members sorted.</summary>
    internal static string Attributes(IReadOnlyList<string> members)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("chatrooms");
            writer.WriteString("kind", "private");
            writer.WriteStartArray("members");
            foreach (var member in members)
            {
                writer.WriteStringValue(member);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Whether a conversation (or a user's conversation record) is marked private by its attributes.</summary>
    internal static bool IsPrivate(JsonElement conversation) => PrivateMembers(conversation) is not null;

    /// <summary>The members named in a private conversation's attributes; null when it is not marked private.</summary>
    private static IReadOnlyList<string>? PrivateMembers(JsonElement conversation)
    {
        if (conversation.ValueKind != JsonValueKind.Object || !conversation.TryGetProperty("attributes", out var attributes))
        {
            return null;
        }

        // Twilio sends attributes as a JSON string; accept an object too.
        if (attributes.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var document = JsonDocument.Parse(attributes.GetString()!);
                return Members(document.RootElement);
            }
            catch (JsonException)
            {
                return null; // attributes someone else wrote: not ours, so not private
            }
        }

        return Members(attributes);

        static IReadOnlyList<string>? Members(JsonElement root)
            => root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("chatrooms", out var chatrooms)
                && chatrooms.String("kind") == "private"
                    ? chatrooms.Strings("members")
                    : null;
    }

    /// <summary>"alice, bob", cut to Twilio's longest friendly name.</summary>
    private static string FriendlyName(IReadOnlyList<string> members)
    {
        var name = string.Join(", ", members);
        return name.Length <= Arguments.MaxLength ? name : name[..(Arguments.MaxLength - 1)] + "…";
    }

    private async Task FetchUserAsync(string serviceSid, string identity, CancellationToken cancellationToken)
    {
        try
        {
            await rest.SendAsync(TwilioRest.Get, $"/v1/Services/{serviceSid}/Users/{Uri.EscapeDataString(identity)}", null, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            throw e.WithMessage($"User '{identity}' not found.");
        }
    }

    /// <summary>Creates the pair's conversation, or, when a concurrent start (or an earlier one) made it, fetches it.</summary>
    private async Task<JsonElement> CreateOrFetchAsync(string serviceSid, string uniqueName, string[] members, CancellationToken cancellationToken)
    {
        try
        {
            return await rest.SendAsync(
                TwilioRest.Post,
                $"/v1/Services/{serviceSid}/Conversations",
                [new("UniqueName", uniqueName), new("FriendlyName", FriendlyName(members)), new("Attributes", Attributes(members))],
                cancellationToken).ConfigureAwait(false);
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.AlreadyExists)
        {
            var existing = await rest.SendAsync(TwilioRest.Get, $"/v1/Services/{serviceSid}/Conversations/{uniqueName}", null, cancellationToken)
                .ConfigureAwait(false);

            // Only a conversation marked private for exactly this pair is theirs: never add them to anything else.
            if (PrivateMembers(existing) is not { } named || !named.SequenceEqual(members, StringComparer.Ordinal))
            {
                throw e.WithMessage(
                    $"A conversation named '{uniqueName}' exists but is not the private conversation of '{members[0]}' and '{members[1]}'.");
            }

            return existing;
        }
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.Storage;

namespace Twilio.ChatRooms.Emulator.Domain;

/// <summary>Owns every read and write of the emulator's state: validation, SIDs, uniqueness and message indexes.</summary>
internal sealed partial class ConversationService
{
    // Twilio's error codes. The 50xxx codes are from Twilio's error dictionary (https://www.twilio.com/docs/api/errors/{code};
    // checked in the generated copy at github.com/AriaBagheri/twilio-error-rs, src/products/programmable_chat/docs.rs).
    // 20001 is Twilio's generic invalid-parameter code, which Twilio answers for "Missing required parameter X in the
    // post body" (github.com/twilio/twilio-chat-demo-android/issues/147). Codes not confirmed, answered as 20001: PageSize,
    // Page, PageToken and Order out of range; a role of the wrong type; deleting a default role; a missing Permission.
    public const int InvalidParameter = 20001;
    public const int FriendlyNameRequired = 50000;
    public const int FriendlyNameTooLong = 50003;
    public const int UniqueNameTooLong = 50004;
    public const int RoleNotFound = 50100;
    public const int PermissionNotFound = 50104;
    public const int InvalidRoleType = 50105;
    public const int ConversationRoleNotFound = 50109;
    public const int IdentityRequired = 50204;
    public const int IdentityTooLong = 50207;
    public const int IdentityWithBinding = 50211;
    public const int AttributesTooLong = 50303;
    public const int AttributesNotJson = 50304;
    public const int InvalidState = 50378;
    public const int InitialStateClosed = 50384;
    public const int UniqueNameLikeSid = 50390;
    public const int AddressEqualsProxyAddress = 50409;
    public const int AddressEmpty = 50411;
    public const int ProxyAddressEmpty = 50412;
    public const int InvalidLastReadMessageIndex = 50421;
    public const int BodyRequired = 50503;
    public const int BodyTooLong = 50504;
    public const int UserExists = 50201;
    public const int ConversationExists = 50353;
    public const int ParticipantExists = 50433;
    public const int BindingExists = 50416;
    public const int ParticipantLimitExceeded = 50417;
    public const int NonChatParticipantLimitExceeded = 50422;
    public const int UserConversationLimitExceeded = 50214;

    // Twilio's count limits (https://www.twilio.com/docs/conversations/conversations-limits).
    internal const int MaxParticipants = 1000;
    internal const int MaxNonChatParticipants = 50;
    internal const int MaxConversationsPerIdentity = 1000;

    public static readonly IReadOnlyList<string> ServicePermissions =
    [
        "createConversation", "joinConversation", "deleteConversation", "addParticipant", "removeParticipant",
        "editConversationAttributes", "editOwnUserInfo", "editAnyUserInfo",
    ];

    public static readonly IReadOnlyList<string> ConversationPermissions =
    [
        "sendMessage", "sendMediaMessage", "leaveConversation", "editOwnMessage", "editOwnMessageAttributes",
        "deleteOwnMessage", "editAnyMessage", "editAnyMessageAttributes", "deleteAnyMessage", "addParticipant",
        "removeParticipant", "editConversationName", "editConversationAttributes", "editNotificationLevel",
    ];

    private const int MaxFriendlyName = 256;
    private const int MaxIdentity = 256;
    private const int MaxConversationAttributes = 16 * 1024;
    private const int MaxAttributes = 4 * 1024;
    private const int MaxBody = 32 * 1024;

    private readonly IEmulatorStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<ConversationService> _logger;

    public ConversationService(IEmulatorStore store, TimeProvider time, ILogger<ConversationService> logger, string accountSid)
    {
        _store = store;
        _time = time;
        _logger = logger;
        AccountSid = accountSid;
        DefaultServiceSid = _store.Read(s => s.Services.Values.OrderBy(v => v.DateCreated).FirstOrDefault()?.Sid) ?? Seed();
    }

    public string AccountSid { get; }

    public string DefaultServiceSid { get; }

    /// <summary>Told after each committed write; the real-time hub listens here.</summary>
    public Realtime.IConversationEvents Events { get; set; } = Realtime.NoConversationEvents.Instance;

    public static string NewSid(string prefix) => prefix + Guid.NewGuid().ToString("N");

    // ---------- services ----------

    public ServiceRecord GetService(string serviceSid) =>
        _store.Read(s => s.Services.TryGetValue(serviceSid, out var service) ? service : throw EmulatorException.NotFound($"/Services/{serviceSid}"));

    // ---------- roles ----------

    public IReadOnlyList<RoleRecord> ListRoles(string serviceSid) =>
        _store.Read(s =>
        {
            Service(s, serviceSid);   // 404 for an unknown service
            return s.Roles.Values.Where(r => r.ServiceSid == serviceSid).OrderBy(r => r.Seq).ToList();
        });

    public RoleRecord FetchRole(string serviceSid, string roleSid) => _store.Read(s => Role(s, serviceSid, roleSid));

    public RoleRecord CreateRole(string serviceSid, string? friendlyName, string? type, IReadOnlyList<string> permissions)
    {
        var name = string.IsNullOrWhiteSpace(friendlyName)
            ? throw EmulatorException.BadRequest(FriendlyNameRequired, "FriendlyName not provided")
            : friendlyName;
        CheckFriendlyName(name);
        if (type is not ("service" or "conversation"))
        {
            throw EmulatorException.BadRequest(InvalidRoleType, "Type must be service or conversation");
        }

        var checkedPermissions = CheckPermissions(type, permissions);
        var now = Now();
        var role = _store.Write(s =>
        {
            Service(s, serviceSid);
            var created = new RoleRecord(s.NextSeq(), NewSid("RL"), serviceSid, name, type, checkedPermissions, now, now);
            s.Roles.Add(created.Sid, created);
            return created;
        });
        LogCreated(_logger, "role", role.Sid);
        return role;
    }

    public RoleRecord UpdateRole(string serviceSid, string roleSid, IReadOnlyList<string> permissions)
    {
        var now = Now();
        return _store.Write(s =>
        {
            var role = Role(s, serviceSid, roleSid);
            var updated = role with { Permissions = CheckPermissions(role.Type, permissions), DateUpdated = now };
            s.Roles[role.Sid] = updated;
            return updated;
        });
    }

    public void DeleteRole(string serviceSid, string roleSid) => _store.Write(s =>
    {
        var role = Role(s, serviceSid, roleSid);
        var service = Service(s, serviceSid);
        if (role.Sid == service.DefaultServiceRoleSid || role.Sid == service.DefaultConversationRoleSid || role.Sid == service.DefaultConversationCreatorRoleSid)
        {
            throw EmulatorException.BadRequest(InvalidParameter, "A default role cannot be deleted");
        }

        return s.Roles.Remove(role.Sid);
    });

    // ---------- users ----------

    public IReadOnlyList<UserRecord> ListUsers(string serviceSid) =>
        _store.Read(s =>
        {
            Service(s, serviceSid);   // 404 for an unknown service
            return s.Users.Values.Where(u => u.ServiceSid == serviceSid).OrderBy(u => u.Seq).ToList();
        });

    public UserRecord FetchUser(string serviceSid, string key) => _store.Read(s => User(s, serviceSid, key));

    public UserRecord CreateUser(string serviceSid, string? identity, string? roleSid, string? friendlyName, string? attributes)
    {
        var id = CheckIdentity(identity) ?? throw EmulatorException.BadRequest(IdentityRequired, "Identity not provided");
        CheckFriendlyName(friendlyName);
        var attrs = CheckAttributes(attributes, MaxAttributes);
        var now = Now();
        var user = _store.Write(s =>
        {
            var service = Service(s, serviceSid);
            if (FindUser(s, serviceSid, id) is not null)
            {
                throw EmulatorException.Conflict(UserExists, $"User with the provided identity already exists: {id}");
            }

            var role = ServiceRole(s, service, roleSid);
            return AddUser(s, serviceSid, id, friendlyName, attrs, role, now);
        });
        LogCreated(_logger, "user", user.Sid);
        return user;
    }

    public UserRecord UpdateUser(string serviceSid, string key, string? roleSid, string? friendlyName, string? attributes)
    {
        CheckFriendlyName(friendlyName);
        var attrs = attributes is null ? null : CheckAttributes(attributes, MaxAttributes);
        var now = Now();
        return _store.Write(s =>
        {
            var user = User(s, serviceSid, key);
            var role = roleSid is null ? user.RoleSid : ServiceRole(s, Service(s, serviceSid), roleSid);
            var updated = user with
            {
                RoleSid = role,
                FriendlyName = friendlyName ?? user.FriendlyName,
                Attributes = attrs ?? user.Attributes,
                DateUpdated = now,
            };
            s.Users[user.Sid] = updated;
            return updated;
        });
    }

    public void DeleteUser(string serviceSid, string key)
    {
        var removed = _store.Write(s =>
        {
            var user = User(s, serviceSid, key);
            s.Users.Remove(user.Sid);
            var participants = s.ParticipantsOf(serviceSid, user.Identity).ToList();
            foreach (var participant in participants)
            {
                s.Participants.Remove(participant.Sid);
            }

            return participants;
        });
        foreach (var participant in removed)
        {
            Events.ParticipantRemoved(participant);
        }
    }

    public IReadOnlyList<UserConversationView> ListUserConversations(string serviceSid, string key) => _store.Read(s =>
    {
        var user = User(s, serviceSid, key);
        return s.ParticipantsOf(serviceSid, user.Identity).Select(p => UserConversation(s, user, p)).ToList();
    });

    public UserConversationView FetchUserConversation(string serviceSid, string userKey, string conversationKey) => _store.Read(s =>
    {
        var user = User(s, serviceSid, userKey);
        var conversation = Conversation(s, serviceSid, conversationKey);
        var participant = s.ParticipantOf(conversation.Sid, user.Identity)
            ?? throw EmulatorException.NotFound($"/Users/{user.Sid}/Conversations/{conversation.Sid}");
        return UserConversation(s, user, participant);
    });

    // ---------- conversations ----------

    public IReadOnlyList<ConversationRecord> ListConversations(string serviceSid) =>
        _store.Read(s =>
        {
            Service(s, serviceSid);   // 404 for an unknown service
            return s.Conversations.Values.Where(c => c.ServiceSid == serviceSid).OrderBy(c => c.Seq).ToList();
        });

    public ConversationRecord FetchConversation(string serviceSid, string key) => _store.Read(s => Conversation(s, serviceSid, key));

    public ConversationRecord CreateConversation(string serviceSid, string? friendlyName, string? uniqueName, string? attributes, string? state)
    {
        CheckFriendlyName(friendlyName);
        CheckUniqueName(uniqueName);
        var attrs = CheckAttributes(attributes, MaxConversationAttributes);
        var checkedState = CheckState(state) ?? "active";
        if (checkedState == "closed")
        {
            throw EmulatorException.BadRequest(InitialStateClosed, "A new conversation cannot be closed");
        }

        var now = Now();
        var conversation = _store.Write(s =>
        {
            Service(s, serviceSid);
            EnsureUniqueNameFree(s, serviceSid, uniqueName, null);
            var created = new ConversationRecord(s.NextSeq(), NewSid("CH"), serviceSid, friendlyName, EmptyToNull(uniqueName), attrs, checkedState, now, now, 0);
            s.Conversations.Add(created.Sid, created);
            s.Messages.Add(created.Sid, s.NewMessageList());
            return created;
        });
        LogCreated(_logger, "conversation", conversation.Sid);
        return conversation;
    }

    public ConversationRecord UpdateConversation(string serviceSid, string key, string? friendlyName, string? uniqueName, string? attributes, string? state)
    {
        CheckFriendlyName(friendlyName);
        CheckUniqueName(uniqueName);
        var attrs = attributes is null ? null : CheckAttributes(attributes, MaxConversationAttributes);
        var checkedState = CheckState(state);
        var now = Now();
        var result = _store.Write(s =>
        {
            var conversation = Conversation(s, serviceSid, key);
            if (uniqueName is not null)
            {
                EnsureUniqueNameFree(s, serviceSid, uniqueName, conversation.Sid);
            }

            var updated = conversation with
            {
                FriendlyName = friendlyName ?? conversation.FriendlyName,
                UniqueName = uniqueName is null ? conversation.UniqueName : EmptyToNull(uniqueName),
                Attributes = attrs ?? conversation.Attributes,
                State = checkedState ?? conversation.State,
                DateUpdated = now,
            };
            s.Conversations[conversation.Sid] = updated;
            return updated;
        });
        Events.ConversationUpdated(result);
        return result;
    }

    public void DeleteConversation(string serviceSid, string key)
    {
        var (deleted, former) = _store.Write(s =>
        {
            var conversation = Conversation(s, serviceSid, key);
            s.Conversations.Remove(conversation.Sid);
            s.Messages.Remove(conversation.Sid);
            var participants = s.ParticipantsIn(conversation.Sid).ToList();
            foreach (var participant in participants)
            {
                s.Participants.Remove(participant.Sid);
            }

            return (conversation, participants);
        });
        Events.ConversationRemoved(deleted, former);
    }

    // ---------- participants ----------

    /// <summary>The user with this SID or identity, or null.</summary>
    public UserRecord? FindUser(string serviceSid, string key) => _store.Read(s => FindUser(s, serviceSid, key));

    /// <summary>The conversations <paramref name="identity"/> is a participant of, oldest first; none for an unknown identity.</summary>
    public IReadOnlyList<ConversationRecord> ConversationsOf(string serviceSid, string identity) => _store.Read(s =>
        s.ParticipantsOf(serviceSid, identity).Select(p => s.Conversations[p.ConversationSid]).OrderBy(c => c.Seq).ToList());

    /// <summary><paramref name="identity"/>'s participant in the conversation, or null when it is not one.</summary>
    public ParticipantRecord? FindParticipant(string serviceSid, string conversationKey, string identity) => _store.Read(s =>
        s.ParticipantOf(Conversation(s, serviceSid, conversationKey).Sid, identity));

    public IReadOnlyList<ParticipantRecord> ListParticipants(string serviceSid, string conversationKey) => _store.Read(s =>
    {
        var conversation = Conversation(s, serviceSid, conversationKey);
        return s.ParticipantsIn(conversation.Sid).ToList();
    });

    public ParticipantRecord FetchParticipant(string serviceSid, string conversationKey, string key) =>
        _store.Read(s => Participant(s, Conversation(s, serviceSid, conversationKey), key));

    public ParticipantRecord CreateParticipant(string serviceSid, string conversationKey, string? identity, string? roleSid,
        string? attributes, string? address, string? proxyAddress)
    {
        var attrs = CheckAttributes(attributes, MaxAttributes);
        identity = CheckIdentity(identity);
        address = EmptyToNull(address);
        proxyAddress = EmptyToNull(proxyAddress);
        if (identity is not null && (address ?? proxyAddress) is not null)
        {
            throw EmulatorException.BadRequest(IdentityWithBinding, "A participant with an Identity cannot have a MessagingBinding");
        }

        if (identity is null && address is null)
        {
            // Twilio names the identity here: a participant without a binding is a chat participant.
            throw EmulatorException.BadRequest(proxyAddress is null ? IdentityRequired : AddressEmpty,
                proxyAddress is null ? "Identity not provided" : "MessagingBinding.Address is empty");
        }

        if (address is not null && proxyAddress is null)
        {
            throw EmulatorException.BadRequest(ProxyAddressEmpty, "MessagingBinding.ProxyAddress is empty");
        }

        if (address is not null && address == proxyAddress)
        {
            throw EmulatorException.BadRequest(AddressEqualsProxyAddress, "MessagingBinding.Address must not equal MessagingBinding.ProxyAddress");
        }

        var now = Now();
        var participant = _store.Write(s =>
        {
            var service = Service(s, serviceSid);
            var conversation = Conversation(s, serviceSid, conversationKey);
            var role = ConversationRole(s, service, roleSid);
            if (identity is not null)
            {
                if (s.ParticipantOf(conversation.Sid, identity) is not null)
                {
                    throw EmulatorException.Conflict(ParticipantExists, $"Participant already exists: {identity}");
                }

                // Twilio backs every chat participant with a User ("Every Conversation Participant who connects with a
                // Chat SDK ... is backed by a User", twilio.com/docs/conversations/api/user-resource; the participant's
                // identity is "a unique string identifier for the conversation participant as Conversation User",
                // Twilio's OpenAPI), so adding an unknown identity creates its user with the service's default role.
                if (FindUser(s, serviceSid, identity) is null)
                {
                    AddUser(s, serviceSid, identity, null, "{}", service.DefaultServiceRoleSid, now);
                }
            }
            else if (s.ParticipantsWithBinding(address!, proxyAddress!).Any(p => p.ServiceSid == serviceSid))
            {
                throw EmulatorException.Conflict(BindingExists, $"A binding for this participant and proxy address already exists in a conversation: {address}");
            }

            CheckParticipantLimits(s, serviceSid, conversation.Sid, identity);
            var created = new ParticipantRecord(s.NextSeq(), NewSid("MB"), serviceSid, conversation.Sid, identity, attrs,
                role, address, proxyAddress, now, now, null, null);
            s.Participants.Add(created.Sid, created);
            return created;
        });
        LogCreated(_logger, "participant", participant.Sid);
        Events.ParticipantAdded(participant);
        return participant;
    }

    private static void CheckParticipantLimits(EmulatorState s, string serviceSid, string conversationSid, string? identity)
    {
        var members = s.ParticipantsIn(conversationSid);
        if (members.Count >= MaxParticipants)
        {
            throw EmulatorException.BadRequest(ParticipantLimitExceeded,
                $"Participants limit exceeded: a conversation has at most {MaxParticipants} participants");
        }

        if (identity is null && members.Count(p => p.Identity is null) >= MaxNonChatParticipants)
        {
            throw EmulatorException.BadRequest(NonChatParticipantLimitExceeded,
                $"Non-chat conversation participants limit exceeded: a conversation has at most {MaxNonChatParticipants} SMS or WhatsApp participants");
        }

        if (identity is not null && s.ParticipantsOf(serviceSid, identity).Count >= MaxConversationsPerIdentity)
        {
            throw EmulatorException.BadRequest(UserConversationLimitExceeded,
                $"User conversation limit exceeded: {identity} is in {MaxConversationsPerIdentity} conversations");
        }
    }

    public ParticipantRecord UpdateParticipant(string serviceSid, string conversationKey, string key, string? roleSid,
        string? attributes, int? lastReadMessageIndex)
    {
        var attrs = attributes is null ? null : CheckAttributes(attributes, MaxAttributes);
        var now = Now();
        var result = _store.Write(s =>
        {
            var conversation = Conversation(s, serviceSid, conversationKey);
            var participant = Participant(s, conversation, key);
            var updated = participant with
            {
                RoleSid = roleSid is null ? participant.RoleSid : ConversationRole(s, Service(s, serviceSid), roleSid),
                Attributes = attrs ?? participant.Attributes,
                LastReadMessageIndex = lastReadMessageIndex ?? participant.LastReadMessageIndex,
                LastReadTimestamp = lastReadMessageIndex is null ? participant.LastReadTimestamp : now,
                DateUpdated = now,
            };
            s.Participants[participant.Sid] = updated;
            return updated;
        });
        Events.ParticipantUpdated(result);
        return result;
    }

    public void DeleteParticipant(string serviceSid, string conversationKey, string key)
    {
        var removed = _store.Write(s =>
        {
            var participant = Participant(s, Conversation(s, serviceSid, conversationKey), key);
            s.Participants.Remove(participant.Sid);
            return participant;
        });
        Events.ParticipantRemoved(removed);
    }

    // ---------- messages ----------

    public IReadOnlyList<MessageRecord> ListMessages(string serviceSid, string conversationKey) => _store.Read(s =>
        s.Messages[Conversation(s, serviceSid, conversationKey).Sid].Values.ToList());

    public MessageRecord FetchMessage(string serviceSid, string conversationKey, string key) =>
        _store.Read(s => Message(s, Conversation(s, serviceSid, conversationKey), key));

    public MessageRecord CreateMessage(string serviceSid, string conversationKey, string? author, string? body, string? attributes)
    {
        // The emulator has no media, so a message needs a body.
        if (string.IsNullOrEmpty(body))
        {
            throw EmulatorException.BadRequest(BodyRequired, "Message body not provided");
        }

        CheckBody(body);
        var attrs = CheckAttributes(attributes, MaxAttributes);
        var now = Now();
        var message = _store.Write(s =>
        {
            var conversation = Conversation(s, serviceSid, conversationKey);
            var name = EmptyToNull(author) ?? "system";
            return AppendMessage(s, conversation, name, body, attrs, s.ParticipantOf(conversation.Sid, name)?.Sid, now);
        });
        LogCreated(_logger, "message", message.Sid);
        Events.MessageAdded(message);
        return message;
    }

    /// <summary>
    /// An incoming text, as Twilio's SMS webhook reports it: added as a message, authored by the phone number, to every
    /// conversation where an SMS participant has address <paramref name="from"/> and proxy address <paramref name="to"/>.
    /// </summary>
    public IReadOnlyList<MessageRecord> ReceiveSms(string? from, string? to, string? body)
    {
        var address = RequiredField(from, "From");
        var proxyAddress = RequiredField(to, "To");
        CheckBody(RequiredField(body, "Body"));
        var now = Now();
        var messages = _store.Write(s =>
        {
            var senders = s.ParticipantsWithBinding(address, proxyAddress).ToList();
            if (senders.Count == 0)
            {
                throw new EmulatorException(404, 20404, $"No SMS participant has address (From) {address} and proxy address (To) {proxyAddress}");
            }

            return senders
                .Select(p => AppendMessage(s, s.Conversations[p.ConversationSid], address, body, "{}", p.Sid, now))
                .ToList();
        });
        foreach (var message in messages)
        {
            LogCreated(_logger, "message", message.Sid);
            Events.MessageAdded(message);
        }

        return messages;
    }

    /// <summary>The texts sent to SMS participants, oldest first; only those to <paramref name="to"/> when given.</summary>
    public IReadOnlyList<SmsRecord> ListOutbox(string? to) =>
        _store.Read(s => s.Outbox.Where(m => string.IsNullOrEmpty(to) || m.To == to).ToList());

    public MessageRecord UpdateMessage(string serviceSid, string conversationKey, string key, string? author, string? body, string? attributes)
    {
        CheckBody(body);
        var attrs = attributes is null ? null : CheckAttributes(attributes, MaxAttributes);
        var now = Now();
        var result = _store.Write(s =>
        {
            var conversation = Conversation(s, serviceSid, conversationKey);
            var message = Message(s, conversation, key);
            var updated = message with
            {
                Author = EmptyToNull(author) ?? message.Author,
                Body = body ?? message.Body,
                Attributes = attrs ?? message.Attributes,
                // Dates are whole seconds, like Twilio's: an edit within the send's second still reads as later,
                // because clients show "edited" from dateUpdated > dateCreated.
                DateUpdated = now > message.DateCreated ? now : message.DateCreated.AddSeconds(1),
            };
            s.Messages[conversation.Sid][message.Index] = updated;
            return updated;
        });
        Events.MessageUpdated(result);
        return result;
    }

    public void DeleteMessage(string serviceSid, string conversationKey, string key)
    {
        var removed = _store.Write(s =>
        {
            var conversation = Conversation(s, serviceSid, conversationKey);
            var message = Message(s, conversation, key);
            s.Messages[conversation.Sid].Remove(message.Index);
            return message;
        });
        Events.MessageRemoved(removed);
    }

    // ---------- helpers ----------

    private string Seed()
    {
        var now = Now();
        return _store.Write(s =>
        {
            var serviceSid = NewSid("IS");
            RoleRecord Add(string name, string type, IReadOnlyList<string> permissions)
            {
                var role = new RoleRecord(s.NextSeq(), NewSid("RL"), serviceSid, name, type, permissions, now, now);
                s.Roles.Add(role.Sid, role);
                return role;
            }

            var channelAdmin = Add("channel admin", "conversation", ConversationPermissions);
            var channelUser = Add("channel user", "conversation",
                ["sendMessage", "sendMediaMessage", "leaveConversation", "editOwnMessage", "editOwnMessageAttributes", "deleteOwnMessage", "editNotificationLevel"]);
            Add("service admin", "service", ServicePermissions);
            var serviceUser = Add("service user", "service", ["createConversation", "joinConversation", "editOwnUserInfo"]);
            s.Services.Add(serviceSid, new ServiceRecord(serviceSid, "Default Conversations Service", now, serviceUser.Sid, channelUser.Sid, channelAdmin.Sid));
            return serviceSid;
        });
    }

    private DateTimeOffset Now()
    {
        var now = _time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    private static UserRecord AddUser(EmulatorState s, string serviceSid, string identity, string? friendlyName, string attributes, string roleSid, DateTimeOffset now)
    {
        var user = new UserRecord(s.NextSeq(), NewSid("US"), serviceSid, identity, friendlyName, attributes, roleSid, now, now);
        s.Users.Add(user.Sid, user);
        return user;
    }

    /// <summary>
    /// Adds a message with the conversation's next index, and records it in the outbox once for each SMS participant of
    /// the conversation other than its author (an SMS participant's own text is not echoed back to it).
    /// </summary>
    private static MessageRecord AppendMessage(EmulatorState s, ConversationRecord conversation, string author, string? body,
        string attributes, string? participantSid, DateTimeOffset now)
    {
        var created = new MessageRecord(NewSid("IM"), conversation.ServiceSid, conversation.Sid, conversation.NextMessageIndex, author,
            body, attributes, participantSid, now, now);
        s.Conversations[conversation.Sid] = conversation with { NextMessageIndex = conversation.NextMessageIndex + 1 };
        s.Messages[conversation.Sid].Add(created.Index, created);
        foreach (var recipient in s.ParticipantsIn(conversation.Sid))
        {
            if (recipient is { BindingAddress: { } address, ProxyAddress: { } proxy } && recipient.Sid != participantSid)
            {
                s.AddToOutbox(new SmsRecord(NewSid("SM"), address, proxy, body, conversation.Sid, created.Sid, created.Index, author, now));
            }
        }

        return created;
    }

    private static UserConversationView UserConversation(EmulatorState s, UserRecord user, ParticipantRecord participant)
    {
        var conversation = s.Conversations[participant.ConversationSid];
        int? unread = participant.LastReadMessageIndex is { } last
            ? s.Messages[conversation.Sid].Keys.Count(i => i > last)
            : null;
        return new UserConversationView(user, participant, conversation, unread);
    }

    private static ServiceRecord Service(EmulatorState s, string serviceSid) =>
        s.Services.TryGetValue(serviceSid, out var service) ? service : throw EmulatorException.NotFound($"/Services/{serviceSid}");

    private static RoleRecord Role(EmulatorState s, string serviceSid, string roleSid)
    {
        Service(s, serviceSid);
        return s.Roles.TryGetValue(roleSid, out var role) && role.ServiceSid == serviceSid
            ? role
            : throw EmulatorException.NotFound($"/Services/{serviceSid}/Roles/{roleSid}");
    }

    private static string ServiceRole(EmulatorState s, ServiceRecord service, string? roleSid) =>
        RoleOfType(s, service, roleSid, "service", service.DefaultServiceRoleSid, RoleNotFound);

    private static string ConversationRole(EmulatorState s, ServiceRecord service, string? roleSid) =>
        RoleOfType(s, service, roleSid, "conversation", service.DefaultConversationRoleSid, ConversationRoleNotFound);

    private static string RoleOfType(EmulatorState s, ServiceRecord service, string? roleSid, string type, string fallback, int notFound)
    {
        if (string.IsNullOrEmpty(roleSid))
        {
            return fallback;
        }

        if (!s.Roles.TryGetValue(roleSid, out var role) || role.ServiceSid != service.Sid)
        {
            throw EmulatorException.BadRequest(notFound, $"Role not found: {roleSid}");
        }

        return role.Type == type
            ? role.Sid
            : throw EmulatorException.BadRequest(InvalidParameter, $"Role {roleSid} is a {role.Type} role, not a {type} role");
    }

    private static UserRecord? FindUser(EmulatorState s, string serviceSid, string key) =>
        s.Users.TryGetValue(key, out var bySid) && bySid.ServiceSid == serviceSid
            ? bySid
            : s.UserByIdentity(serviceSid, key);

    private static UserRecord User(EmulatorState s, string serviceSid, string key)
    {
        Service(s, serviceSid);
        return FindUser(s, serviceSid, key) ?? throw EmulatorException.NotFound($"/Services/{serviceSid}/Users/{key}");
    }

    private static ConversationRecord Conversation(EmulatorState s, string serviceSid, string key)
    {
        Service(s, serviceSid);
        if (s.Conversations.TryGetValue(key, out var bySid) && bySid.ServiceSid == serviceSid)
        {
            return bySid;
        }

        return s.ConversationByUniqueName(serviceSid, key)
            ?? throw EmulatorException.NotFound($"/Services/{serviceSid}/Conversations/{key}");
    }

    private static ParticipantRecord Participant(EmulatorState s, ConversationRecord conversation, string key) =>
        s.Participants.TryGetValue(key, out var bySid) && bySid.ConversationSid == conversation.Sid
            ? bySid
            : s.ParticipantOf(conversation.Sid, key)
                ?? throw EmulatorException.NotFound($"/Conversations/{conversation.Sid}/Participants/{key}");

    private static MessageRecord Message(EmulatorState s, ConversationRecord conversation, string key)
    {
        // By index (what the hub sends) is a lookup; by SID a scan. A SID (IM...) never parses as a number.
        var messages = s.Messages[conversation.Sid];
        return (int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && messages.TryGetValue(index, out var byIndex)
                ? byIndex
                : messages.Values.FirstOrDefault(m => m.Sid == key))
            ?? throw EmulatorException.NotFound($"/Conversations/{conversation.Sid}/Messages/{key}");
    }

    private static void EnsureUniqueNameFree(EmulatorState s, string serviceSid, string? uniqueName, string? exceptSid)
    {
        if (!string.IsNullOrEmpty(uniqueName)
            && s.ConversationByUniqueName(serviceSid, uniqueName) is { } holder && holder.Sid != exceptSid)
        {
            throw EmulatorException.Conflict(ConversationExists, $"A Conversation with the provided unique name already exists: {uniqueName}");
        }
    }

    private static string? EmptyToNull(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string RequiredField(string? value, string name) => string.IsNullOrEmpty(value)
        ? throw EmulatorException.BadRequest(InvalidParameter, $"Missing required parameter {name} in the post body")
        : value;

    private static void CheckFriendlyName(string? friendlyName)
    {
        if (friendlyName is { Length: > MaxFriendlyName })
        {
            throw EmulatorException.BadRequest(FriendlyNameTooLong, $"FriendlyName is longer than {MaxFriendlyName} characters");
        }
    }

    private static void CheckUniqueName(string? uniqueName)
    {
        if (uniqueName is { Length: > MaxFriendlyName })
        {
            throw EmulatorException.BadRequest(UniqueNameTooLong, $"UniqueName is longer than {MaxFriendlyName} characters");
        }

        if (uniqueName is not null && ConversationSidPattern().IsMatch(uniqueName))
        {
            throw EmulatorException.BadRequest(UniqueNameLikeSid, "UniqueName should not match the conversation SID pattern");
        }
    }

    /// <summary>The identity, or null when absent; Twilio limits identities to 256 characters.</summary>
    private static string? CheckIdentity(string? identity) => identity switch
    {
        null or "" => null,
        { Length: > MaxIdentity } => throw EmulatorException.BadRequest(IdentityTooLong, $"Identity is longer than {MaxIdentity} characters"),
        _ => identity,
    };

    [GeneratedRegex("^CH[0-9a-fA-F]{32}$")]
    private static partial Regex ConversationSidPattern();

    private static void CheckBody(string? body)
    {
        if (body is not null && Encoding.UTF8.GetByteCount(body) > MaxBody)
        {
            throw EmulatorException.BadRequest(BodyTooLong, $"Body is larger than {MaxBody} bytes");
        }
    }

    private static string? CheckState(string? state) => state switch
    {
        null or "" => null,
        "active" or "inactive" or "closed" => state,
        _ => throw EmulatorException.BadRequest(InvalidState, "State must be active, inactive or closed"),
    };

    private static string CheckAttributes(string? attributes, int limit)
    {
        if (string.IsNullOrEmpty(attributes))
        {
            return "{}";
        }

        if (Encoding.UTF8.GetByteCount(attributes) > limit)
        {
            throw EmulatorException.BadRequest(AttributesTooLong, $"Attributes are larger than {limit} bytes");
        }

        try
        {
            using var _ = JsonDocument.Parse(attributes);
        }
        catch (JsonException)
        {
            throw EmulatorException.BadRequest(AttributesNotJson, "Attributes must be valid JSON");
        }

        return attributes;
    }

    private static List<string> CheckPermissions(string type, IReadOnlyList<string> permissions)
    {
        if (permissions.Count == 0)
        {
            throw EmulatorException.BadRequest(InvalidParameter, "Missing required parameter Permission in the post body");
        }

        var allowed = type == "service" ? ServicePermissions : ConversationPermissions;
        var unknown = permissions.FirstOrDefault(p => !allowed.Contains(p));
        return unknown is null
            ? permissions.Distinct(StringComparer.Ordinal).ToList()
            : throw EmulatorException.BadRequest(PermissionNotFound, $"Permission {unknown} is not valid for a {type} role");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Created {Kind} {Sid}")]
    private static partial void LogCreated(ILogger logger, string kind, string sid);
}

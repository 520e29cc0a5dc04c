using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms.ConversationsRest;

namespace Twilio.ChatRooms;

/// <summary>
/// One conversation per unordered pair of users. Its unique name is derived from the pair with a server-side key, so
/// Twilio's uniqueness check makes concurrent starts converge on one conversation and nobody else can compute it; its
/// attributes mark it private, so it is never a room.
/// </summary>
internal sealed class PrivateConversations(
    ConversationsApi api,
    ChatRoomsLookups lookups,
    IOptions<TwilioChatRoomsOptions> options,
    ILogger<PrivateConversations> logger) : IPrivateConversations
{
    /// <summary>The HKDF "info" that makes the derived key this use's alone: changing it renames every pair.</summary>
    private static readonly byte[] KeyLabel = Encoding.UTF8.GetBytes("Twilio.ChatRooms private conversation unique names v1");

    private readonly Lazy<byte[]> _nameKey = new(() => NameKey(options.Value));

    public async Task<PrivateConversation> StartAsync(string identity, string otherIdentity, CancellationToken cancellationToken = default)
    {
        identity = ChatIdentity.Canonicalize(identity, nameof(identity));
        otherIdentity = ChatIdentity.Canonicalize(otherIdentity, nameof(otherIdentity));
        if (string.Equals(identity, otherIdentity, StringComparison.Ordinal))
        {
            throw new ArgumentException("A private conversation needs two different users: otherIdentity equals identity.", nameof(otherIdentity));
        }

        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var roleSid = await lookups.GetRoleSidAsync(serviceSid, cancellationToken).ConfigureAwait(false);

        // The other user must exist (nobody is invited into being); the starter is created like at login if missing,
        // since Twilio would otherwise create it with the service's default role when adding it.
        var otherTask = api.FetchUserAsync(serviceSid, otherIdentity, cancellationToken);
        var starterTask = api.CreateUserAsync(serviceSid, identity, roleSid, cancellationToken);
        await Task.WhenAll(otherTask, starterTask).WaitAsync(cancellationToken).ConfigureAwait(false);

        string[] members = [.. new[] { identity, otherIdentity }.Order(StringComparer.Ordinal)];
        var uniqueName = UniqueName(_nameKey.Value, members[0], members[1]);
        var conversation = await CreateOrFetchAsync(serviceSid, uniqueName, members, cancellationToken).ConfigureAwait(false);
        var sid = conversation.Sid;

        var added = await Task.WhenAll(members.Select(member =>
            api.AddChatParticipantAsync(serviceSid, sid, member, cancellationToken))).ConfigureAwait(false);
        if (added.Contains(false))
        {
            throw new ChatRoomsException(
                ChatRoomsErrorKind.NotFound,
                $"The private conversation of '{members[0]}' and '{members[1]}' was deleted while it was being started; start it again.",
                404);
        }

        Log.PrivateConversationStarted(logger, identity, otherIdentity, sid);
        return new PrivateConversation(sid, uniqueName, conversation.FriendlyName ?? FriendlyName(members), members);
    }

    /// <summary>
    /// <see cref="TwilioChatRoomsOptions.PrivateConversationKey"/>, or, when unset, 32 bytes derived from the API key
    /// secret with HKDF-SHA256 and a fixed label, so the token-signing secret itself never keys anything else.
    /// </summary>
    internal static byte[] NameKey(TwilioChatRoomsOptions options)
        => options.PrivateConversationKey is { } key
            ? Encoding.UTF8.GetBytes(key)
            : HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(options.ApiKeySecret), 32, salt: [], info: KeyLabel);

    /// <summary>
    /// <c>private:</c> + the lowercase hex HMAC-SHA256, under <paramref name="key"/>, of the two identities sorted
    /// ordinally, each prefixed with its length: no two pairs give the same text, and without the key nobody can tell
    /// which name a pair has.
    /// </summary>
    internal static string UniqueName(byte[] key, string first, string second)
    {
        var text = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{first.Length}:{first}{second.Length}:{second}");
        return ChatRoomsAttributes.PrivateUniqueNamePrefix + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>"alice, bob", cut to Twilio's longest friendly name.</summary>
    private static string FriendlyName(IReadOnlyList<string> members)
    {
        var name = string.Join(", ", members);
        return name.Length <= Arguments.MaxLength ? name : name[..(Arguments.MaxLength - 1)] + "…";
    }

    /// <summary>Creates the pair's conversation, or, when a concurrent start (or an earlier one) made it, fetches it.</summary>
    private async Task<ConversationRecord> CreateOrFetchAsync(string serviceSid, string uniqueName, string[] members, CancellationToken cancellationToken)
    {
        try
        {
            return await api.CreateConversationAsync(
                serviceSid, uniqueName, FriendlyName(members), ChatRoomsAttributes.Private(members), cancellationToken).ConfigureAwait(false);
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.AlreadyExists)
        {
            var existing = await api.FetchConversationAsync(serviceSid, uniqueName, cancellationToken).ConfigureAwait(false);

            // Only a conversation marked private for exactly this pair is theirs: never add them to anything else.
            if (existing.PrivateMembers is not { } named || !named.SequenceEqual(members, StringComparer.Ordinal))
            {
                throw e.WithMessage(
                    $"A conversation named '{uniqueName}' exists but is not the private conversation of '{members[0]}' and '{members[1]}'.");
            }

            return existing;
        }
    }
}

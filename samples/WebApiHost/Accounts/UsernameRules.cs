using System.Text.RegularExpressions;
using Twilio.ChatRooms;

namespace WebApiHost.Accounts;

/// <summary>
/// What a new user may be called, on top of the library's identity rules (<see cref="ChatIdentity.Canonicalize"/>):
/// nothing Twilio uses as an address, which the chat would show as that phone or channel (a phone number in E.164-like
/// form such as <c>+15551234567</c>; <c>whatsapp:</c>, <c>messenger:</c> and the other channel prefixes), and no name the
/// product reserves (<c>system</c>, the author Twilio gives messages sent without one). Checked when an account is
/// made, or a user first signs in by name; an account already so named keeps signing in.
/// </summary>
internal static partial class UsernameRules
{
    private static readonly string[] ChannelPrefixes = ["whatsapp:", "messenger:", "sms:", "mms:", "rcs:", "gbm:"];

    private static readonly string[] Reserved = ["system"];

    /// <summary>The canonical identity for a new user, or <see cref="ArgumentException"/> naming <c>username</c> (400).</summary>
    public static string NewUser(string? username)
    {
        var identity = ChatIdentity.Canonicalize(username, nameof(username));
        var refusal = PhoneNumber().IsMatch(identity)
            ? "looks like a phone number, which Twilio uses as an SMS or WhatsApp address; choose a name"
            : ChannelPrefixes.FirstOrDefault(p => identity.StartsWith(p, StringComparison.Ordinal)) is { } prefix
                ? $"starts with '{prefix}', which Twilio uses for a messaging channel's address; choose a name"
                : Reserved.Contains(identity, StringComparer.Ordinal)
                    ? $"'{identity}' is reserved for the chat's own messages; choose another name"
                    : null;
        return refusal is null ? identity : throw new ArgumentException($"The username {refusal}.", nameof(username));
    }

    /// <summary>A plus, then digits with the separators people write numbers with.</summary>
    [GeneratedRegex(@"^\+[0-9][0-9 ().\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneNumber();
}

using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Sync;

/// <summary>What a Sync object of the client face stands for.</summary>
internal enum SyncObjectKind
{
    /// <summary>Map of a user's conversations, keyed by conversation SID.</summary>
    MyConversations,

    /// <summary>Map of a user's friendlyName, attributes and reachability.</summary>
    UserInfo,

    /// <summary>Document of a conversation's shared state.</summary>
    Channel,

    /// <summary>List of a conversation's messages, by index.</summary>
    Messages,

    /// <summary>Map of a conversation's participants, keyed by participant SID.</summary>
    Roster,
}

/// <summary>A Sync object, named: a user's (service and identity) or a conversation's.</summary>
internal readonly record struct SyncObject(SyncObjectKind Kind, string ServiceSid, string Key)
{
    public string ObjectType => Kind switch
    {
        SyncObjectKind.Channel => "document",
        SyncObjectKind.Messages => "list",
        _ => "map",
    };
}

/// <summary>
/// The ids of the Sync objects that mirror the emulator's state. They are derived, not stored: a conversation's are
/// its SID with a suffix (the SDK's own fallback names, <c>{sid}.channel</c> and <c>{sid}.roster</c>), a user's carry
/// the service and identity base64url-encoded, so any identity makes a path-safe id and no lookup is needed.
/// </summary>
internal static class SyncNames
{
    public static string MyConversations(string serviceSid, string identity) => "MC" + Encode(serviceSid, identity);

    public static string UserInfo(string serviceSid, string identity) => "UI" + Encode(serviceSid, identity);

    public static string Channel(string conversationSid) => conversationSid + ".channel";

    public static string Messages(string conversationSid) => conversationSid + ".messages";

    public static string Roster(string conversationSid) => conversationSid + ".roster";

    public static string Of(SyncObject o) => o.Kind switch
    {
        SyncObjectKind.MyConversations => MyConversations(o.ServiceSid, o.Key),
        SyncObjectKind.UserInfo => UserInfo(o.ServiceSid, o.Key),
        SyncObjectKind.Channel => Channel(o.Key),
        SyncObjectKind.Messages => Messages(o.Key),
        _ => Roster(o.Key),
    };

    /// <summary>Reads an id; a conversation's carry no service, which the caller checks against the conversation.</summary>
    public static bool TryParse(string id, [NotNullWhen(true)] out SyncObject? value)
    {
        value = null;
        if (id.StartsWith("MC", StringComparison.Ordinal) || id.StartsWith("UI", StringComparison.Ordinal))
        {
            if (!TryDecode(id[2..], out var service, out var identity))
            {
                return false;
            }

            value = new SyncObject(id[0] == 'M' ? SyncObjectKind.MyConversations : SyncObjectKind.UserInfo, service, identity);
            return true;
        }

        var dot = id.IndexOf('.', StringComparison.Ordinal);
        if (dot != 34 || !id.StartsWith("CH", StringComparison.Ordinal))
        {
            return false;
        }

        SyncObjectKind? kind = id[(dot + 1)..] switch
        {
            "channel" => SyncObjectKind.Channel,
            "messages" => SyncObjectKind.Messages,
            "roster" => SyncObjectKind.Roster,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        value = new SyncObject(kind.Value, "", id[..dot]);
        return true;
    }

    private static string Encode(string serviceSid, string identity) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(serviceSid + "\n" + identity));

    private static bool TryDecode(string text, out string serviceSid, out string identity)
    {
        serviceSid = identity = "";
        try
        {
            var decoded = Base64UrlEncoder.Decode(text);
            var newline = decoded.IndexOf('\n', StringComparison.Ordinal);
            if (newline <= 0)
            {
                return false;
            }

            serviceSid = decoded[..newline];
            identity = decoded[(newline + 1)..];
            return identity.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

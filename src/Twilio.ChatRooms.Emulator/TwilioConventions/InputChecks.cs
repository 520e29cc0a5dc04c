using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Twilio.ChatRooms.Emulator.TwilioConventions;

/// <summary>Twilio's checks of request fields, each failing with Twilio's specific code before anything is changed.</summary>
internal static partial class InputChecks
{
    public static string? EmptyToNull(string? value) => string.IsNullOrEmpty(value) ? null : value;

    public static string Required(string? value, string name) =>
        string.IsNullOrEmpty(value) ? throw TwilioErrors.MissingParameter(name) : value;

    public static void FriendlyName(string? friendlyName)
    {
        if (friendlyName is { Length: > TwilioLimits.MaxFriendlyName })
        {
            throw TwilioErrors.BadRequest(TwilioErrors.FriendlyNameTooLong, $"FriendlyName is longer than {TwilioLimits.MaxFriendlyName} characters");
        }
    }

    public static void UniqueName(string? uniqueName)
    {
        if (uniqueName is { Length: > TwilioLimits.MaxUniqueName })
        {
            throw TwilioErrors.BadRequest(TwilioErrors.UniqueNameTooLong, $"UniqueName is longer than {TwilioLimits.MaxUniqueName} characters");
        }

        if (uniqueName is not null && ConversationSidPattern().IsMatch(uniqueName))
        {
            throw TwilioErrors.BadRequest(TwilioErrors.UniqueNameLikeSid, "UniqueName should not match the conversation SID pattern");
        }
    }

    /// <summary>The identity, or null when absent; Twilio limits identities to 256 characters.</summary>
    public static string? Identity(string? identity) => identity switch
    {
        null or "" => null,
        { Length: > TwilioLimits.MaxIdentity } => throw TwilioErrors.BadRequest(TwilioErrors.IdentityTooLong, $"Identity is longer than {TwilioLimits.MaxIdentity} characters"),
        _ => identity,
    };

    public static void Body(string? body)
    {
        if (body is not null && Encoding.UTF8.GetByteCount(body) > TwilioLimits.MaxBody)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.BodyTooLong, $"Body is larger than {TwilioLimits.MaxBody} bytes");
        }
    }

    public static string? State(string? state) => state switch
    {
        null or "" => null,
        "active" or "inactive" or "closed" => state,
        _ => throw TwilioErrors.BadRequest(TwilioErrors.InvalidState, "State must be active, inactive or closed"),
    };

    /// <summary>Attributes as stored: <c>{}</c> when absent; JSON within <paramref name="limit"/> bytes.</summary>
    public static string Attributes(string? attributes, int limit = TwilioLimits.MaxAttributes)
    {
        if (string.IsNullOrEmpty(attributes))
        {
            return "{}";
        }

        if (Encoding.UTF8.GetByteCount(attributes) > limit)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.AttributesTooLong, $"Attributes are larger than {limit} bytes");
        }

        try
        {
            using var _ = JsonDocument.Parse(attributes);
        }
        catch (JsonException)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.AttributesNotJson, "Attributes must be valid JSON");
        }

        return attributes;
    }

    /// <summary>Null for "absent", else the attributes checked as <see cref="Attributes"/>: an update keeps what is not sent.</summary>
    public static string? OptionalAttributes(string? attributes, int limit = TwilioLimits.MaxAttributes) =>
        attributes is null ? null : Attributes(attributes, limit);

    public static List<string> Permissions(string type, IReadOnlyList<string> permissions)
    {
        if (permissions.Count == 0)
        {
            throw TwilioErrors.MissingParameter("Permission");
        }

        var allowed = type == TwilioPermissions.ServiceType ? TwilioPermissions.Service : TwilioPermissions.Conversation;
        var unknown = permissions.FirstOrDefault(p => !allowed.Contains(p));
        return unknown is null
            ? permissions.Distinct(StringComparer.Ordinal).ToList()
            : throw TwilioErrors.BadRequest(TwilioErrors.PermissionNotFound, $"Permission {unknown} is not valid for a {type} role");
    }

    /// <summary>A whole number, or null when absent; anything else fails with <paramref name="code"/>.</summary>
    public static int? Integer(string? value, int code, string name) =>
        string.IsNullOrEmpty(value)
            ? null
            : int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw TwilioErrors.BadRequest(code, $"{name} must be an integer");

    [GeneratedRegex("^CH[0-9a-fA-F]{32}$")]
    private static partial Regex ConversationSidPattern();
}

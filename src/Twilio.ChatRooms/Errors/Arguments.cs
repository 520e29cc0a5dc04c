using System.Globalization;

namespace Twilio.ChatRooms;

/// <summary>Checks room names and identities before any request, as Twilio would.</summary>
internal static class Arguments
{
    /// <summary>Twilio's longest friendly name, unique name and identity.</summary>
    public const int MaxLength = 256;

    /// <summary>Throws an <see cref="ArgumentException"/> that says what is wrong with <paramref name="value"/>.</summary>
    /// <param name="value">The value to check.</param>
    /// <param name="what">What it is, for the message: "room name" or "identity".</param>
    /// <param name="paramName">The parameter's name.</param>
    public static string Check(string? value, string what, string paramName)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, $"The {what} must not be null.");
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"The {what} must not be empty or whitespace.", paramName);
        }

        if (value.Length > MaxLength)
        {
            throw new ArgumentException(
                $"The {what} is {value.Length} characters long; Twilio allows at most {MaxLength}.", paramName);
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The {what} must not contain control characters (found U+{(int)c:X4})."),
                    paramName);
            }
        }

        return value;
    }

    /// <summary>
    /// Checks a room name: 1 to 256 characters, not only whitespace, no control characters, and not <c>.</c> or
    /// <c>..</c>, which no HTTP client can send as one path segment (they would name another resource).
    /// </summary>
    /// <param name="value">The room name (or a conversation SID).</param>
    /// <param name="paramName">The parameter's name.</param>
    public static string CheckRoomName(string? value, string paramName)
    {
        Check(value, "room name", paramName);
        return value is "." or ".."
            ? throw new ArgumentException(
                $"The room name must not be '{value}': a dot segment cannot be sent in a URL path.", paramName)
            : value!;
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> unless <paramref name="value"/> is an E.164 phone number: <c>+</c>
    /// then 2 to 15 digits, nothing else.
    /// </summary>
    /// <param name="value">The number to check.</param>
    /// <param name="what">What it is, for the message: "phone number" or "proxy number".</param>
    /// <param name="paramName">The parameter's name.</param>
    public static string CheckPhoneNumber(string? value, string what, string paramName)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, $"The {what} must not be null.");
        }

        var digits = value.AsSpan(Math.Min(1, value.Length));
        if (!value.StartsWith('+') || digits.Length is < 2 or > 15 || digits.ContainsAnyExceptInRange('0', '9'))
        {
            throw new ArgumentException(
                $"The {what} '{value}' is not in E.164 form: '+' then 2 to 15 digits, such as +15551234567.", paramName);
        }

        return value;
    }
}

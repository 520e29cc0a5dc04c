using System.Globalization;

namespace Twilio.ChatRooms.Emulator.TwilioConventions;

/// <summary>Twilio's wire formats shared by every face of the emulator: SIDs and dates.</summary>
internal static class TwilioFormat
{
    /// <summary>A new SID: Twilio's two-letter prefix for the resource and 32 hex digits.</summary>
    public static string NewSid(string prefix) => prefix + Guid.NewGuid().ToString("N");

    private static readonly System.Buffers.SearchValues<char> Hex = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Whether <paramref name="sid"/> is a SID of the kind <paramref name="prefix"/> names: the prefix and 32 hexadecimal digits.</summary>
    public static bool IsSid(string sid, string prefix) =>
        sid.Length == prefix.Length + 32 && sid.StartsWith(prefix, StringComparison.Ordinal) && !sid.AsSpan(prefix.Length).ContainsAnyExcept(Hex);

    /// <summary>Twilio's date form, <c>yyyy-MM-ddTHH:mm:ssZ</c>.</summary>
    public static string Date(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Now, in whole seconds as Twilio dates are.</summary>
    public static DateTimeOffset Now(TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}

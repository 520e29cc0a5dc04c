namespace Twilio.ChatRooms;

/// <summary>
/// The rules every chat identity follows, in one place so that every host applies the same ones: a host checks a new
/// user's name with <see cref="Canonicalize"/> and keeps the identity it returns.
/// </summary>
public static class ChatIdentity
{
    /// <summary>
    /// Returns the canonical form of <paramref name="identity"/>, the one the library sends to Twilio, or throws an
    /// <see cref="ArgumentException"/> naming <paramref name="paramName"/> and saying why the name is refused.
    /// </summary>
    /// <param name="identity">The name a person typed.</param>
    /// <param name="paramName">The parameter or field to name in the exception.</param>
    /// <returns>The identity to use from now on.</returns>
    /// <exception cref="ArgumentException">The name cannot be an identity; the message says why.</exception>
    public static string Canonicalize(string? identity, string paramName = "identity") =>
        Arguments.Check(identity, "identity", paramName);
}

namespace Twilio.ChatRooms;

/// <summary>A participant of a chat room: a chat user (with an identity) or an SMS participant (with a phone number).</summary>
/// <param name="Sid">The participant SID (<c>MB</c> followed by 32 hex digits).</param>
/// <param name="Identity">The chat user's identity; <see langword="null"/> for an SMS participant.</param>
/// <param name="PhoneNumber">
/// The SMS participant's number as Twilio holds it (<c>MessagingBinding.Address</c>, such as <c>+15551234567</c>);
/// <see langword="null"/> for a chat user.
/// </param>
/// <param name="ProxyNumber">
/// The Twilio number that texts the SMS participant (<c>MessagingBinding.ProxyAddress</c>); <see langword="null"/> for a
/// chat user.
/// </param>
public sealed record ChatRoomParticipant(string Sid, string? Identity, string? PhoneNumber, string? ProxyNumber);

using System.Text.Json;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioRules;

namespace Twilio.ChatRooms.Emulator.Realtime;

internal sealed record HubConversation(string Sid, string? UniqueName, string? FriendlyName, JsonElement Attributes,
    string DateCreated, string DateUpdated, string? CreatedBy);

internal sealed record HubMessage(string Sid, int Index, string ConversationSid, string? Author, string? Body, JsonElement Attributes,
    string? ParticipantSid, string DateCreated, string DateUpdated);

internal sealed record HubParticipant(string Sid, string ConversationSid, string? Identity, string Type, string? Address,
    JsonElement Attributes, int? LastReadMessageIndex, bool? IsOnline, string DateCreated);

internal sealed record HubTyping(string ConversationSid, string Identity, string ParticipantSid);

internal sealed record HubMessagePage(IReadOnlyList<HubMessage> Items, bool HasPrevPage);

/// <summary>Turns records into the hub's shapes (docs/realtime-protocol.md).</summary>
internal static class HubModels
{
    public static HubConversation Conversation(ConversationRecord c) =>
        new(c.Sid, c.UniqueName, c.FriendlyName, Attributes(c.Attributes), TwilioFormat.Date(c.DateCreated), TwilioFormat.Date(c.DateUpdated), null);

    public static HubMessage Message(MessageRecord m) =>
        new(m.Sid, m.Index, m.ConversationSid, m.Author, m.Body, Attributes(m.Attributes), m.ParticipantSid,
            TwilioFormat.Date(m.DateCreated), TwilioFormat.Date(m.DateUpdated));

    public static HubParticipant Participant(ParticipantRecord p, bool online) =>
        new(p.Sid, p.ConversationSid, p.Identity, p.Identity is null ? "sms" : "chat", p.BindingAddress, Attributes(p.Attributes),
            p.LastReadMessageIndex, p.Identity is null ? null : online, TwilioFormat.Date(p.DateCreated));

    private static JsonElement Attributes(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrEmpty(json) ? "{}" : json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var empty = JsonDocument.Parse("{}");
            return empty.RootElement.Clone();
        }
    }
}

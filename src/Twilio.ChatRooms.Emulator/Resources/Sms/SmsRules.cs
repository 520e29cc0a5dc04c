using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.Resources.Messages;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Resources.Sms;

/// <summary>The phone side of SMS participants: texts coming in, and the outbox of texts the emulator would have sent.</summary>
internal sealed class SmsRules(EmulatorStore store, TimeProvider time, ILogger<SmsRules> logger)
{
    /// <summary>
    /// An incoming text, as Twilio's SMS webhook reports it: added as a message, authored by the phone number, to every
    /// conversation where an SMS participant has address <paramref name="from"/> and proxy address <paramref name="to"/>.
    /// </summary>
    public IReadOnlyList<MessageRecord> Receive(string? from, string? to, string? body)
    {
        var address = InputChecks.Required(from, "From");
        var proxyAddress = InputChecks.Required(to, "To");
        InputChecks.Body(InputChecks.Required(body, "Body"));
        var now = TwilioFormat.Now(time);

        // A text coming in fires webhooks whatever way it was reported, as on Twilio (Source SMS).
        using var writes = WriteOrigin.Use(WriteOrigin.Sms);
        var messages = store.Write(s =>
        {
            var senders = s.Participants.WithBinding(address, proxyAddress).ToList();
            if (senders.Count == 0)
            {
                throw TwilioErrors.NoSuch($"No SMS participant has address (From) {address} and proxy address (To) {proxyAddress}");
            }

            return senders
                .Select(p => MessageRules.Append(s, s.Conversations.Find(p.ConversationSid)!, address, body, "{}", p.Sid, now))
                .ToList();
        });
        foreach (var message in messages)
        {
            Log.Created(logger, "message", message.Sid);
        }

        return messages;
    }

    /// <summary>The texts sent to SMS participants, oldest first; only those to <paramref name="to"/> when given.</summary>
    public IReadOnlyList<SmsRecord> Outbox(string? to) =>
        store.Read(s => s.Outbox.Sent.Where(m => string.IsNullOrEmpty(to) || m.To == to).ToList());
}

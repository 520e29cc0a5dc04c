using System.Text.Json;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Webhooks;

/// <summary>
/// What a pre-event webhook answered: the fields it changes (none for a plain 2xx). A refusal never comes back as an
/// answer: it is thrown as Twilio's error.
/// </summary>
internal sealed class PreEventAnswer
{
    public static readonly PreEventAnswer Unchanged = new(new Dictionary<string, string>(StringComparer.Ordinal));

    private readonly IReadOnlyDictionary<string, string> _fields;

    private PreEventAnswer(IReadOnlyDictionary<string, string> fields) => _fields = fields;

    /// <summary>The new value of <paramref name="field"/> (as Twilio names it, such as <c>Body</c>), or <paramref name="proposed"/>.</summary>
    public string? Or(string field, string? proposed) => _fields.TryGetValue(Key(field), out var value) ? value : proposed;

    /// <summary>
    /// The fields of a JSON object answer, keyed so that <c>Body</c>, <c>body</c>, <c>friendly_name</c> and
    /// <c>FriendlyName</c> are one; strings as they are, other values as their JSON (attributes may be an object).
    /// </summary>
    public static PreEventAnswer Parse(string? response)
    {
        if (string.IsNullOrWhiteSpace(response) || response.TrimStart()[0] != '{')
        {
            return Unchanged;
        }

        try
        {
            using var json = JsonDocument.Parse(response);
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                {
                    continue;
                }

                fields[Key(property.Name)] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }

            return new PreEventAnswer(fields);
        }
        catch (JsonException)
        {
            return Unchanged;   // not JSON after all: a plain allow
        }
    }

    private static string Key(string name) => name.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
}

/// <summary>
/// Asks the pre-event webhook before a change, outside the store's lock, as Twilio does: the service's configuration (or
/// the account's) with a <c>PreWebhookUrl</c> and the event in its filters, for a change whose origin fires webhooks.
/// A 2xx answer lets the change go ahead, changed by the fields of a JSON answer; any other status refuses it (403,
/// code 20403, naming the event and the status); no answer within 5 seconds, or none at all, lets it go ahead unchanged
/// and is logged (what Twilio does then is not documented; the emulator does not stop a chat for a back end that is down).
/// </summary>
internal sealed class PreEventWebhooks(EmulatorStore store, WebhookSender sender, WebhookDeliveryLog log, string accountSid,
    ILogger<PreEventWebhooks> logger)
{
    /// <summary>
    /// Asks about <paramref name="eventType"/> (such as <c>onMessageAdd</c>) with the proposed <paramref name="fields"/>
    /// (read only when a webhook is asked; those without a value are left out). Throws Twilio's error when the webhook
    /// refuses, or the error <paramref name="fields"/> throws (a conversation that does not exist).
    /// </summary>
    public PreEventAnswer Ask(string serviceSid, string eventType, Func<(string Name, string? Value)[]> fields)
    {
        if (WriteOrigin.Current is not { FiresWebhooks: true } origin)
        {
            return PreEventAnswer.Unchanged;
        }

        var config = store.Read(s => WebhookRecorder.Effective(s, serviceSid));
        if (config is not { PreWebhookUrl: { Length: > 0 } url, Target: "webhook" } || !config.Filters.Contains(eventType))
        {
            return PreEventAnswer.Unchanged;
        }

        var payload = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AccountSid"] = accountSid,
            ["ChatServiceSid"] = serviceSid,
            ["EventType"] = eventType,
            ["Source"] = origin.Source,
            ["RetryCount"] = "0",
        };
        if (origin.ClientIdentity is { } identity)
        {
            payload["ClientIdentity"] = identity;
        }

        foreach (var (name, value) in fields())
        {
            if (value is not null)
            {
                payload[name] = value;
            }
        }

        var token = TwilioFormat.NewSid("WD");

        // The rules are synchronous (one write each); the request thread waits for the answer, at most 5 seconds.
        var attempt = sender.SendAsync(url, config.Method, token, payload, CancellationToken.None).GetAwaiter().GetResult();
        var outcome = attempt.Succeeded ? "allowed" : attempt.Status is not null ? "refused" : "unanswered, allowed";
        EmulatorTelemetry.PreEventAnswers.Add(1,
            new KeyValuePair<string, object?>("chatrooms.webhook.outcome", attempt.Succeeded ? "allowed" : attempt.Status is not null ? "refused" : "unanswered"),
            new KeyValuePair<string, object?>("chatrooms.webhook.event_type", eventType));
        log.Add(new WebhookDeliveryEntry(token, eventType, url, config.Method, 1, outcome, attempt.Status, attempt.Duration, attempt.Error, payload,
            attempt.Response, DateTimeOffset.UtcNow));
        var answer = attempt.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? attempt.Error ?? "";
        var milliseconds = (long)attempt.Duration.TotalMilliseconds;
        Log.WebhookDelivery(logger, eventType, config.Method, url, outcome, answer, milliseconds, 1);
        return attempt switch
        {
            { Succeeded: true } => PreEventAnswer.Parse(attempt.Response),
            { Status: { } status } => throw TwilioErrors.RefusedByWebhook(eventType, status),
            _ => PreEventAnswer.Unchanged,
        };
    }
}

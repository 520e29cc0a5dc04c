using System.Text.Json;
using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

namespace Twilio.ChatRooms.Emulator.ClientProtocol;

/// <summary>A device's push registration, as an SDK asked for it (client.setPushRegistrationId).</summary>
internal sealed record PushRegistration(string Id, string Identity, string ChannelType, string Address, IReadOnlyList<string> MessageTypes,
    DateTimeOffset DateCreated);

/// <summary>
/// The push registrations SDKs make over the socket (<c>v1/registrations</c>, Twilio's registrar): accepted, kept while
/// the emulator runs and listed by the inspector; nothing is ever pushed. One per user, channel and device token (a new
/// one replaces it), at most <see cref="MaxPerIdentity"/> per user, the oldest dropped first.
/// </summary>
internal sealed class PushRegistrations(TimeProvider time)
{
    public const int MaxPerIdentity = 20;

    private readonly Lock _lock = new();
    private readonly List<PushRegistration> _registrations = [];

    /// <summary>Every registration, oldest first.</summary>
    public IReadOnlyList<PushRegistration> Snapshot()
    {
        lock (_lock)
        {
            return [.. _registrations];
        }
    }

    public TunnelledResponse Handle(TwilsockSession session, TunnelledRequest request, TunnelledPath path)
    {
        var identity = session.Principal!.Identity;
        var body = Json(request);
        switch (request.Method, path.Segments)
        {
            // setPushRegistrationId: {channel_type, message_types, data: {registration_id}}; the SDK keeps the id.
            case ("POST", ["v1", "registrations"]):
                var channel = Text(body, "channel_type");
                var address = (body?["data"] as JsonObject) is { } data ? Text(data, "registration_id") : null;
                if (channel is null || string.IsNullOrEmpty(address))
                {
                    return TunnelledResponse.Error(400, TwilioConventions.TwilioErrors.InvalidParameter, "channel_type and data.registration_id are required");
                }

                var types = body?["message_types"] is JsonArray list ? list.Select(t => t?.ToString() ?? "").ToList() : [];
                var added = new PushRegistration("BR" + Guid.NewGuid().ToString("N"), identity, channel, address, types, time.GetUtcNow());
                lock (_lock)
                {
                    _registrations.RemoveAll(r => r.Identity == identity && r.ChannelType == channel && r.Address == address);
                    _registrations.Add(added);
                    var mine = _registrations.Where(r => r.Identity == identity).ToList();
                    foreach (var old in mine.Take(Math.Max(0, mine.Count - MaxPerIdentity)))
                    {
                        _registrations.Remove(old);
                    }
                }

                return new TunnelledResponse(200, new JsonObject { ["id"] = added.Id });

            // unsetPushRegistrationId: the registration the SDK was given.
            case ("DELETE", ["v1", "registrations", var id]):
                Remove(r => r.Identity == identity && r.Id == id);
                return new TunnelledResponse(200, new JsonObject());

            // removePushRegistrations: every registration of a device token, {binding_type, address}.
            case ("DELETE", ["v1", "registrations"]):
                var (type, token) = (Text(body, "binding_type"), Text(body, "address"));
                Remove(r => r.Identity == identity && r.ChannelType == type && r.Address == token);
                return new TunnelledResponse(200, new JsonObject());

            default:
                return TunnelledResponse.Error(404, TwilioConventions.TwilioErrors.NotFoundCode, $"The requested resource {request.Path} was not found");
        }
    }

    private void Remove(Predicate<PushRegistration> which)
    {
        lock (_lock)
        {
            _registrations.RemoveAll(which);
        }
    }

    private static JsonObject? Json(TunnelledRequest request)
    {
        try
        {
            return request.Body.Length == 0 ? null : JsonNode.Parse(request.Body.Span) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonObject? body, string name) => body?[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}

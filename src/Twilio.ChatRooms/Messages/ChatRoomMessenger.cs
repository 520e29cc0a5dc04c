using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms.ConversationsRest;
using Twilio.ChatRooms.Http;
using Twilio.Exceptions;

namespace Twilio.ChatRooms;

/// <summary>Uploads each file to Twilio's Media Content Service, then creates the message with their media SIDs.</summary>
internal sealed class ChatRoomMessenger(ConversationsApi api, ChatRoomsLookups lookups, TwilioRest rest, TwilioClientFactory clients,
    IHttpClientFactory httpClients, IOptions<TwilioChatRoomsOptions> options, ILogger<ChatRoomMessenger> logger) : IChatRoomMessenger
{
    /// <summary>Twilio's Media Content Service (the emulator serves it under its own base address, at <c>/mcs</c>).</summary>
    public const string MediaServiceOrigin = "https://mcs.us1.twilio.com";

    private const int MaxFiles = 10;

    public async Task<ChatRoomMessage> SendAsync(string roomName, string? text, IReadOnlyList<ChatRoomFile>? files = null, string? author = null,
        CancellationToken cancellationToken = default)
    {
        Arguments.CheckRoomName(roomName, nameof(roomName));
        files ??= [];
        if (string.IsNullOrEmpty(text) && files.Count == 0)
        {
            throw new ArgumentException("A message needs text or at least one file.", nameof(text));
        }

        if (files.Count > MaxFiles)
        {
            throw new ArgumentException($"A message may hold at most {MaxFiles} files.", nameof(files));
        }

        // The whole send (the room's lookup, the uploads, the message) as one producer span over the Twilio calls.
        using var activity = ChatRoomsTelemetry.Source.StartActivity("send", ActivityKind.Producer);
        activity?.SetTag("messaging.system", ChatRoomsTelemetry.MessagingSystem);
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.operation.name", "send");
        var serviceSid = await lookups.GetServiceSidAsync(cancellationToken).ConfigureAwait(false);
        var room = await api.FetchRoomAsync(serviceSid, roomName, cancellationToken).ConfigureAwait(false);
        if (activity is not null)
        {
            activity.DisplayName = $"send {room.Sid}";
            activity.SetTag("messaging.destination.name", room.Sid);
        }

        var mediaSids = new List<string>(files.Count);
        foreach (var file in files)
        {
            mediaSids.Add(await UploadAsync(serviceSid, file, cancellationToken).ConfigureAwait(false));
        }

        List<KeyValuePair<string, string>> form = [];
        if (!string.IsNullOrEmpty(author))
        {
            form.Add(new("Author", author));
        }

        if (!string.IsNullOrEmpty(text))
        {
            form.Add(new("Body", text));
        }

        form.AddRange(mediaSids.Select(sid => new KeyValuePair<string, string>("MediaSid", sid)));
        var message = await rest.SendAsync(TwilioRest.Post, RestPath.Service(serviceSid, "Conversations", room.Sid, "Messages"), form, cancellationToken)
            .ConfigureAwait(false);
        Log.MessageSent(logger, room.UniqueName ?? roomName, mediaSids.Count);
        return new ChatRoomMessage(message.GetProperty("sid").GetString()!, message.GetProperty("index").GetInt32(),
            message.GetProperty("author").GetString()!, message.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.String ? body.GetString() : null,
            mediaSids);
    }

    /// <summary>
    /// Streams one file to <c>POST {MCS}/v1/Services/{IS}/Media</c> with the account's Basic credentials (the Twilio SDK
    /// has no Media resource) and returns its SID; Twilio's error becomes a <see cref="ChatRoomsException"/> as elsewhere.
    /// </summary>
    private async Task<string> UploadAsync(string serviceSid, ChatRoomFile file, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var (username, password) = string.IsNullOrEmpty(o.AuthToken) ? (o.ApiKeySid, o.ApiKeySecret) : (o.AccountSid, o.AuthToken);
        var url = $"{MediaServiceOrigin}{RestPath.Service(serviceSid, "Media")}?Filename={Uri.EscapeDataString(file.FileName)}";
        using var content = new StreamContent(file.Content);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(file.ContentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        var http = httpClients.CreateClient(TwilioClientFactory.HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw ChatRoomsErrors.FromTwilio(new ApiConnectionException(e.Message, e), clients.Target);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonElement json = default;
            try
            {
                json = JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                // Not Twilio's JSON: answered by its status alone below.
            }

            if (response.IsSuccessStatusCode && json.ValueKind == JsonValueKind.Object && json.TryGetProperty("sid", out var sid))
            {
                return sid.GetString()!;
            }

            int Number(string name) => json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) && v.TryGetInt32(out var n) ? n : 0;
            string Message() => json.ValueKind == JsonValueKind.Object && json.TryGetProperty("message", out var m) ? m.GetString() ?? "" : response.ReasonPhrase ?? "";
            throw ChatRoomsErrors.FromTwilio(new ApiException(Number("code"), (int)response.StatusCode, Message(), ""), clients.Target,
                response.Headers.RetryAfter?.Delta);
        }
    }
}

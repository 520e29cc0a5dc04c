using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Resources.Media;

/// <summary>
/// Where the emulator's media service answers: <c>{public origin}{mount}/mcs/v1/Services/{IS}/Media</c>, as Twilio's
/// is <c>https://mcs.us1.twilio.com/v1/Services/{IS}/Media</c>. The mount is known once the emulator is mapped.
/// </summary>
internal sealed class MediaLinks(Http.PublicOrigin origin)
{
    /// <summary>The segment under the emulator's mount that the media service answers at.</summary>
    public const string Segment = "mcs";

    /// <summary>The path the emulator is mapped at (<c>/emulator</c> by default); set by <c>MapConversationsEmulator</c>.</summary>
    public string Mount { get; set; } = "/emulator";

    /// <summary>The media service's root: <c>{origin}{mount}/mcs</c>.</summary>
    public string Root => origin.Value + Mount + "/" + Segment;

    /// <summary>A service's <c>Media</c> collection, what the client configuration's <c>links.media_service</c> names.</summary>
    public string Media(string serviceSid) => $"{Root}/v1/Services/{serviceSid}/Media";

    /// <summary>A service's <c>MediaSet</c>, what <c>links.media_set_service</c> names.</summary>
    public string MediaSet(string serviceSid) => $"{Root}/v1/Services/{serviceSid}/MediaSet";
}

/// <summary>The media service's JSON for a file (the SDK's mcs-client reads it: media.js <c>_update</c>).</summary>
internal static class MediaJson
{
    public static JsonObject Media(string accountSid, MediaRecord media, MediaLinks links, string? temporaryUrl)
    {
        var url = $"{links.Media(media.ServiceSid)}/{media.Sid}";
        return new JsonObject
        {
            ["sid"] = media.Sid,
            ["account_sid"] = accountSid,
            ["service_sid"] = media.ServiceSid,
            ["channel_sid"] = media.ConversationSid,
            ["message_sid"] = media.MessageSid,
            ["date_created"] = TwilioFormat.Date(media.DateCreated),
            ["date_upload_updated"] = TwilioFormat.Date(media.DateCreated),
            ["date_updated"] = TwilioFormat.Date(media.DateCreated),
            ["size"] = media.Size,
            ["content_type"] = media.ContentType,
            ["filename"] = media.Filename,
            ["author"] = media.Author,
            ["category"] = media.Category,
            ["is_multipart_upstream"] = false,
            ["url"] = url,
            ["links"] = new JsonObject
            {
                ["content"] = url + "/Content",
                ["content_direct_temporary"] = temporaryUrl,
            },
        };
    }
}

using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Twilio.ChatRooms.Emulator.ClientProtocol;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.Resources.Conversations;
using Twilio.ChatRooms.Emulator.Resources.Messages;
using Twilio.ChatRooms.Emulator.Resources.Participants;
using Twilio.ChatRooms.Emulator.Resources.Roles;
using Twilio.ChatRooms.Emulator.Resources.Services;
using Twilio.ChatRooms.Emulator.Resources.Sms;
using Twilio.ChatRooms.Emulator.Resources.Users;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;
using Twilio.ChatRooms.Emulator.Webhooks;
using static Twilio.ChatRooms.Emulator.Inspector.InspectorHtml;

namespace Twilio.ChatRooms.Emulator.Inspector;

/// <summary>
/// The inspector's HTML, rendered on the server from the resources' own reads (never the store's tables directly).
/// Every value goes through <see cref="InspectorHtml.E"/>: message bodies, names and attributes are anyone's input.
/// </summary>
internal sealed class InspectorPage(ServiceRules services, RoleRules roles, UserRules users, ConversationRules conversations,
    ParticipantRules participants, MessageRules messages, SmsRules sms, WebhookDeliveryLog deliveries, ConnectedClients clients,
    EmulatorFaults faults, InspectorChanges changes, PushRegistrations push)
{
    /// <summary>Messages on one page of a conversation, newest first.</summary>
    public const int MessagesPerPage = 20;

    /// <summary>The whole page: the live part, then the forms (outside it, so that a refresh never resets what is typed).</summary>
    public string Full(string baseUrl, IQueryCollection query)
    {
        var version = changes.Version; // before the state is read: a later change is polled for
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Conversations emulator inspector</title>\n")
            .Append("<link rel=\"stylesheet\" href=\"").Append(E(baseUrl)).Append("/inspector/inspector.css\">\n")
            .Append("<script src=\"").Append(E(baseUrl)).Append("/inspector/inspector.js\" defer></script>\n")
            .Append("</head>\n<body>\n<header>\n<h1>Conversations emulator inspector</h1>\n")
            .Append("<p>The emulator's state as it is now; this page follows its changes by itself.</p>\n</header>\n")
            .Append("<nav aria-label=\"Sections\">\n<ul>")
            .Append("<li><a href=\"#services\">Services</a></li><li><a href=\"#roles\">Roles</a></li><li><a href=\"#users\">Users</a></li>")
            .Append("<li><a href=\"#conversations\">Conversations</a></li><li><a href=\"#messages\">Messages</a></li>")
            .Append("<li><a href=\"#clients\">Connected clients</a></li><li><a href=\"#outbox\">SMS outbox</a></li>")
            .Append("<li><a href=\"#deliveries\">Webhook deliveries</a></li><li><a href=\"#sms\">Send an SMS</a></li>")
            .Append("<li><a href=\"#faults\">Faults</a></li></ul>\n</nav>\n<main>\n");
        Saved(html, query);
        html.Append("<div id=\"live\" data-version=\"").Append(version.ToString(CultureInfo.InvariantCulture))
            .Append("\" data-changes=\"").Append(E(baseUrl)).Append("/inspector/changes\" data-src=\"").Append(E(baseUrl))
            .Append("/inspector/live").Append(E(LiveQuery(query))).Append("\">\n");
        Live(html, baseUrl, query);
        html.Append("</div>\n");
        SmsForm(html, baseUrl);
        FaultsForm(html, baseUrl);
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The live part alone, as the page fetches it after a change.</summary>
    public string Live(string baseUrl, IQueryCollection query)
    {
        var html = new StringBuilder();
        Live(html, baseUrl, query);
        return html.ToString();
    }

    /// <summary>A refused form or request, as a page of its own with the way back.</summary>
    public static string Refusal(string baseUrl, EmulatorException refusal) => new StringBuilder()
        .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Refused: Conversations emulator inspector</title>\n")
        .Append("<link rel=\"stylesheet\" href=\"").Append(E(baseUrl)).Append("/inspector/inspector.css\">\n</head>\n<body>\n<main>\n")
        .Append("<h1>Refused</h1>\n<p role=\"alert\">").Append(E(refusal.Message)).Append(" (").Append(refusal.Status.ToString(CultureInfo.InvariantCulture))
        .Append(", code ").Append(refusal.Code.ToString(CultureInfo.InvariantCulture)).Append(")</p>\n")
        .Append("<p>Nothing was changed. <a href=\"").Append(E(baseUrl)).Append("/inspector\">Back to the inspector</a></p>\n</main>\n</body>\n</html>\n")
        .ToString();

    private void Live(StringBuilder html, string baseUrl, IQueryCollection query)
    {
        var serviceSid = services.DefaultServiceSid;
        var service = services.Get(serviceSid);
        Section(html, "services", "Services");
        Table(html, "Conversation services", ["SID", "Name", "Created"],
            [[Code(service.Sid), E(service.FriendlyName), Date(service.DateCreated)]]);
        html.Append("</section>\n");

        var roleList = roles.List(serviceSid);
        var roleNames = roleList.ToDictionary(r => r.Sid, r => r.FriendlyName, StringComparer.Ordinal);
        Section(html, "roles", "Roles");
        Table(html, "Roles of the service", ["SID", "Name", "Type", "Permissions"],
            roleList.Select(r => new[] { Code(r.Sid), E(r.FriendlyName), E(r.Type), E(string.Join(", ", r.Permissions)) }));
        html.Append("</section>\n");

        var userList = users.List(serviceSid);
        Section(html, "users", "Users");
        Table(html, "Users of the service", ["Identity", "Friendly name", "Role", "Attributes", "SID"],
            userList.Select(u => new[] { E(u.Identity), E(u.FriendlyName), E(roleNames.GetValueOrDefault(u.RoleSid, u.RoleSid)), Code(u.Attributes), Code(u.Sid) }));
        html.Append("</section>\n");

        var conversationList = conversations.List(serviceSid);
        string? selected = query["conversation"];
        Section(html, "conversations", "Conversations");
        Table(html, "Conversations of the service, with their participants", ["Name", "Unique name", "State", "Participants", "Messages", "SID"],
            conversationList.Select(c => new[]
            {
                $"<a href=\"{E(baseUrl)}/inspector?conversation={E(Uri.EscapeDataString(c.Sid))}#messages\"{(c.Sid == selected ? " aria-current=\"page\"" : "")}>{E(c.FriendlyName ?? c.UniqueName ?? c.Sid)}</a>",
                E(c.UniqueName),
                E(c.State),
                ParticipantList(participants.List(serviceSid, c.Sid), roleNames),
                Count(messages.Count(serviceSid, c.Sid)),
                Code(c.Sid),
            }));
        html.Append("</section>\n");

        Messages(html, baseUrl, serviceSid, conversationList.FirstOrDefault(c => c.Sid == selected), query);
        Clients(html);
        Outbox(html);
        Deliveries(html);
    }

    private static string ParticipantList(IReadOnlyList<ParticipantRecord> list, Dictionary<string, string> roleNames) =>
        list.Count == 0
            ? "none"
            : "<ul>" + string.Concat(list.Select(p => "<li>" + (p.Identity is { } identity
                ? E(identity)
                : $"SMS {E(p.BindingAddress)} via {E(p.ProxyAddress)}")
                + (p.RoleSid is { } role ? $" ({E(roleNames.GetValueOrDefault(role, role))})" : "") + "</li>")) + "</ul>";

    private void Messages(StringBuilder html, string baseUrl, string serviceSid, ConversationRecord? conversation, IQueryCollection query)
    {
        Section(html, "messages", conversation is null ? "Messages" : $"Messages of {conversation.FriendlyName ?? conversation.UniqueName ?? conversation.Sid}");
        if (conversation is null)
        {
            html.Append("<p>Choose a conversation above to see its messages, newest first.</p>\n</section>\n");
            return;
        }

        var page = int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
        var (items, window) = messages.Page(serviceSid, conversation.Sid, new PageQuery(MessagesPerPage, page, null, PageFrom.Start, 0), descending: true);
        Table(html, $"Messages, newest first (page {page + 1})", ["Index", "Author", "Body", "Media", "Attributes", "Sent"],
            items.Select(m => new[]
            {
                Count(m.Index),
                E(m.Author),
                m.Body is null ? "" : $"<span class=\"body\">{E(m.Body)}</span>",
                m.Media is { Count: > 0 } media
                    ? "<ul>" + string.Concat(media.Select(f => $"<li>{E(f.Filename ?? f.Sid)}, {Size(f.Size)}, {E(f.ContentType)}</li>")) + "</ul>"
                    : "",
                Code(m.Attributes),
                Date(m.DateCreated),
            }));
        if (window.HasPrevious || window.HasNext)
        {
            var link = $"{E(baseUrl)}/inspector?conversation={E(Uri.EscapeDataString(conversation.Sid))}&amp;page=";
            html.Append("<nav aria-label=\"Pages of messages\"><ul>");
            if (window.HasPrevious)
            {
                html.Append("<li><a href=\"").Append(link).Append((page - 1).ToString(CultureInfo.InvariantCulture)).Append("#messages\">Newer</a></li>");
            }

            if (window.HasNext)
            {
                html.Append("<li><a href=\"").Append(link).Append((page + 1).ToString(CultureInfo.InvariantCulture)).Append("#messages\">Older</a></li>");
            }

            html.Append("</ul></nav>\n");
        }

        html.Append("</section>\n");
    }

    private void Clients(StringBuilder html)
    {
        Section(html, "clients", "Connected clients");
        Table(html, "Client SDK connections (twilsock)", ["Identity", "Connected since", "Subscriptions", "Frames waiting", "Service"],
            clients.Snapshot().Select(c => new[] { E(c.Identity), Date(c.Since), Count(c.Subscriptions), Count(c.QueuedFrames), Code(c.ServiceSid) }));
        // Not a change of the store: a new registration shows at the next refresh of the page.
        Table(html, "Push registrations (client.setPushRegistrationId; nothing is pushed)", ["Identity", "Channel", "Device token", "Message types", "Since"],
            push.Snapshot().Select(r => new[] { E(r.Identity), E(r.ChannelType), Code(r.Address), E(string.Join(", ", r.MessageTypes)), Date(r.DateCreated) }));
        html.Append("</section>\n");
    }

    private void Outbox(StringBuilder html)
    {
        Section(html, "outbox", "SMS outbox");
        Table(html, "Texts the emulator would have sent to SMS participants, newest first", ["To", "From", "Body", "Author", "Conversation", "Sent"],
            sms.Outbox(null).Reverse().Select(t => new[] { E(t.To), E(t.From), E(t.Body), E(t.Author), Code(t.ConversationSid), Date(t.DateCreated) }));
        html.Append("</section>\n");
    }

    private void Deliveries(StringBuilder html)
    {
        Section(html, "deliveries", "Webhook deliveries");
        Table(html, "The latest webhook delivery attempts, newest first", ["Event", "URL", "Attempt", "Outcome", "Status", "Time", "Error", "When"],
            deliveries.Recent().Select(d => new[]
            {
                E(d.EventType), E(d.Method + " " + d.Url), Count(d.Attempt), E(d.Outcome), d.Status is { } s ? Count(s) : "",
                E(((long)d.Duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms"), E(d.Error), Date(d.Date),
            }));
        html.Append("</section>\n");
    }

    private static void SmsForm(StringBuilder html, string baseUrl)
    {
        Section(html, "sms", "Send an inbound SMS");
        html.Append("<p>As Twilio's incoming-SMS webhook: the text is added to every conversation with an SMS participant of that address and proxy address.</p>\n")
            .Append("<form method=\"post\" action=\"").Append(E(baseUrl)).Append("/inspector/sms\">\n")
            .Append("<p><label for=\"sms-from\">From (the participant's address)</label> <input id=\"sms-from\" name=\"From\" required autocomplete=\"off\"></p>\n")
            .Append("<p><label for=\"sms-to\">To (the proxy address)</label> <input id=\"sms-to\" name=\"To\" required autocomplete=\"off\"></p>\n")
            .Append("<p><label for=\"sms-body\">Body</label> <textarea id=\"sms-body\" name=\"Body\" required rows=\"2\"></textarea></p>\n")
            .Append("<p><button type=\"submit\">Send the SMS</button></p>\n</form>\n</section>\n");
    }

    private void FaultsForm(StringBuilder html, string baseUrl)
    {
        Section(html, "faults", "Faults");
        html.Append("<p>Applied to every REST request from now on. Empty fields mean 0.</p>\n")
            .Append("<form method=\"post\" action=\"").Append(E(baseUrl)).Append("/inspector/faults\">\n");
        Field(html, "TooManyRequestsRate", "Share of requests answered 429 (0 to 1)", faults.TooManyRequestsRate, "0.01", 1);
        Field(html, "ServiceUnavailableRate", "Share of requests answered 503 (0 to 1)", faults.ServiceUnavailableRate, "0.01", 1);
        Field(html, "LatencyMilliseconds", "Latency added to every request (milliseconds)", faults.Latency.TotalMilliseconds, "1", 600_000);
        Field(html, "LatencyJitter", "Latency jitter (a fraction of the latency, 0 to 1)", faults.LatencyJitter, "0.01", 1);
        Field(html, "FailNextRequests429", "Next requests answered 429", faults.FailNextRequests429, "1", 1_000_000);
        Field(html, "FailNextRequests503", "Next requests answered 503", faults.FailNextRequests503, "1", 1_000_000);
        html.Append("<p><input type=\"checkbox\" id=\"fault-EnforceTwilioRateLimits\" name=\"EnforceTwilioRateLimits\" value=\"on\"")
            .Append(faults.EnforceTwilioRateLimits ? " checked" : "")
            .Append("> <label for=\"fault-EnforceTwilioRateLimits\">Enforce Twilio's rate limits</label></p>\n")
            .Append("<p><button type=\"submit\">Save the faults</button></p>\n</form>\n</section>\n");
    }

    private static void Saved(StringBuilder html, IQueryCollection query)
    {
        var message = (string?)query["saved"] switch
        {
            "faults" => "The faults are saved.",
            "sms" => $"The SMS was added to {(int.TryParse(query["added"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToString(CultureInfo.InvariantCulture)} conversation(s).",
            _ => null,
        };
        if (message is not null)
        {
            html.Append("<p role=\"status\" class=\"saved\">").Append(E(message)).Append("</p>\n");
        }
    }

    /// <summary>The live part's own query: which conversation and page (nothing of the forms' results).</summary>
    private static string LiveQuery(IQueryCollection query)
    {
        var parts = new List<string>();
        foreach (var name in (string[])["conversation", "page"])
        {
            if (query[name] is { Count: 1 } value && !string.IsNullOrEmpty(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value.ToString()));
            }
        }

        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Twilio.ChatRooms.Emulator.Domain;
using Twilio.ChatRooms.Emulator.Faults;

namespace Twilio.ChatRooms.Emulator.Http;

/// <summary>The emulator's HTTP front: faults, Basic authentication, routing to <see cref="ConversationService"/>.</summary>
internal sealed partial class EmulatorEndpoint
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private readonly ConversationService _service;
    private readonly EmulatorCredentials _credentials;
    private readonly FaultInjector _faults;
    private readonly TwilioRateLimiter _rateLimiter;
    private readonly ILogger<EmulatorEndpoint> _logger;

    public EmulatorEndpoint(ConversationService service, EmulatorCredentials credentials, FaultInjector faults,
        TwilioRateLimiter rateLimiter, ILogger<EmulatorEndpoint> logger)
    {
        _service = service;
        _credentials = credentials;
        _faults = faults;
        _rateLimiter = rateLimiter;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context, string prefix)
    {
        var request = context.Request;
        var relative = RelativePath(context, prefix);

        int status;
        JsonNode? body;
        try
        {
            await _faults.ApplyAsync(context.RequestAborted).ConfigureAwait(false);
            Authorize(request);
            var form = request.HasFormContentType
                ? await request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false)
                : FormCollection.Empty;
            var origin = $"{request.Scheme}://{request.Host}{request.PathBase}{prefix}";
            (status, body) = Route(request.Method, relative, form, request.Query, origin);
        }
        catch (EmulatorException e)
        {
            status = e.Status;
            body = Representations.Error(e.Status, e.Code, e.Message);
            if (e.Status == 429)
            {
                context.Response.Headers.RetryAfter = "1";
            }
        }

        LogRequest(_logger, request.Method, relative, status);
        context.Response.StatusCode = status;
        if (body is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(body.ToJsonString(Json), context.RequestAborted).ConfigureAwait(false);
        }
    }

    private void Authorize(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header is not null && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    var user = decoded[..colon];
                    var password = decoded[(colon + 1)..];
                    if ((user == _credentials.AccountSid && password == _credentials.AuthToken)
                        || (user == _credentials.ApiKeySid && password == _credentials.ApiKeySecret))
                    {
                        return;
                    }
                }
            }
            catch (FormatException)
            {
                // Falls through to 401.
            }
        }

        throw new EmulatorException(401, 20003, "Authentication Error - invalid username");
    }

    /// <summary>
    /// The request's path below the mount, still escaped. ASP.NET Core decodes the path except <c>%2F</c>, so a key
    /// such as a unique name or identity holding <c>/</c> (sent as <c>%2F</c>) cannot be told apart from a decoded
    /// <c>%</c> sequence; the raw request target keeps every escape, and <see cref="Route"/> unescapes each segment.
    /// </summary>
    private static string RelativePath(HttpContext context, string prefix)
    {
        var mount = context.Request.PathBase.Value + prefix;
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var path = raw is { Length: > 0 } && raw[0] == '/' ? raw.Split('?', 2)[0] : null;
        if (path is null || !path.StartsWith(mount, StringComparison.OrdinalIgnoreCase))
        {
            mount = prefix;
            path = context.Request.Path.Value ?? "";
        }

        var relative = path.StartsWith(mount, StringComparison.OrdinalIgnoreCase) ? path[mount.Length..] : path;
        return relative.Length == 0 ? "/" : relative;
    }

    private (int Status, JsonNode? Body) Route(string method, string relative, IFormCollection form, IQueryCollection query, string origin)
    {
        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (segments is ["sms", var action])
        {
            return Sms(method, relative, action, form, query, origin);
        }

        if (segments.Length < 2 || segments[0] != "v1")
        {
            throw Unsupported(method, relative);
        }

        string serviceSid;
        string scopeBase;
        ArraySegment<string> rest;
        if (segments[1] == "Services" && segments.Length >= 3)
        {
            serviceSid = segments[2];
            scopeBase = $"/v1/Services/{serviceSid}";
            rest = new ArraySegment<string>(segments, 3, segments.Length - 3);
        }
        else
        {
            serviceSid = _service.DefaultServiceSid;
            scopeBase = "/v1";
            rest = new ArraySegment<string>(segments, 1, segments.Length - 1);
        }

        if (_faults.EnforceTwilioRateLimits && RateLimitKey(method, serviceSid, rest) is { } limitKey && !_rateLimiter.TryAcquire(limitKey))
        {
            throw new EmulatorException(429, 20429, "Too Many Requests: Twilio's rate limit for this resource was exceeded");
        }

        var urls = new Urls(origin, scopeBase);
        var ctx = new RouteContext(method, relative, form, query, urls, serviceSid, scopeBase != "/v1");
        if (rest.Count == 0)
        {
            return Only(ctx, "GET", () => Ok(Representations.Service(_service.AccountSid, _service.GetService(serviceSid), urls)));
        }

        return rest[0] switch
        {
            "Configuration" when rest.Count == 1 => Only(ctx, "GET", () => ctx.Scoped
                ? Ok(Representations.ServiceConfiguration(_service.GetService(serviceSid), urls))
                : Ok(Representations.Configuration(_service.AccountSid, serviceSid, urls))),
            "Roles" => Roles(ctx, rest[1..]),
            "Users" => Users(ctx, rest[1..]),
            "Conversations" => Conversations(ctx, rest[1..]),
            _ => throw Unsupported(method, relative),
        };
    }

    private (int, JsonNode?) Roles(RouteContext c, ArraySegment<string> rest)
    {
        var account = _service.AccountSid;
        JsonNode Render(RoleRecord r) => Representations.Role(account, r, c.Urls);
        return rest.Count switch
        {
            0 => c.Method switch
            {
                "GET" => Ok(Paging.Page(_service.ListRoles(c.ServiceSid), r => r.Seq, false, c.Query, c.Urls.Scoped("/Roles"), "roles", Render, maxPageSize: Paging.SmallMaxPageSize)),
                "POST" => Created(Render(_service.CreateRole(c.ServiceSid, c.Form["FriendlyName"], c.Form["Type"], Permissions(c.Form)))),
                _ => throw Unsupported(c.Method, c.Relative, 405),
            },
            1 => c.Method switch
            {
                "GET" => Ok(Render(_service.FetchRole(c.ServiceSid, rest[0]))),
                "POST" => Ok(Render(_service.UpdateRole(c.ServiceSid, rest[0], Permissions(c.Form)))),
                "DELETE" => Deleted(() => _service.DeleteRole(c.ServiceSid, rest[0])),
                _ => throw Unsupported(c.Method, c.Relative, 405),
            },
            _ => throw Unsupported(c.Method, c.Relative),
        };
    }

    private (int, JsonNode?) Users(RouteContext c, ArraySegment<string> rest)
    {
        var account = _service.AccountSid;
        JsonNode Render(UserRecord u) => Representations.User(account, u, c.Urls);
        JsonNode RenderMembership(UserConversationView v) => Representations.UserConversation(account, v, c.Urls);
        var f = c.Form;
        return rest.Count switch
        {
            0 => c.Method switch
            {
                "GET" => Ok(Paging.Page(_service.ListUsers(c.ServiceSid), u => u.Seq, false, c.Query, c.Urls.Scoped("/Users"), "users", Render, maxPageSize: Paging.SmallMaxPageSize)),
                "POST" => Created(Render(_service.CreateUser(c.ServiceSid, f["Identity"], f["RoleSid"], f["FriendlyName"], f["Attributes"]))),
                _ => throw Unsupported(c.Method, c.Relative, 405),
            },
            1 => c.Method switch
            {
                "GET" => Ok(Render(_service.FetchUser(c.ServiceSid, rest[0]))),
                "POST" => Ok(Render(_service.UpdateUser(c.ServiceSid, rest[0], Opt(f, "RoleSid"), Opt(f, "FriendlyName"), Opt(f, "Attributes")))),
                "DELETE" => Deleted(() => _service.DeleteUser(c.ServiceSid, rest[0])),
                _ => throw Unsupported(c.Method, c.Relative, 405),
            },
            2 when rest[1] == "Conversations" => Only(c, "GET", () => Ok(Paging.Page(_service.ListUserConversations(c.ServiceSid, rest[0]),
                v => v.Participant.Seq, false, c.Query, c.Urls.Scoped($"/Users/{Uri.EscapeDataString(rest[0])}/Conversations"), "conversations", RenderMembership, maxPageSize: Paging.SmallMaxPageSize))),
            3 when rest[1] == "Conversations" => Only(c, "GET", () => Ok(RenderMembership(_service.FetchUserConversation(c.ServiceSid, rest[0], rest[2])))),
            _ => throw Unsupported(c.Method, c.Relative),
        };
    }

    private (int, JsonNode?) Conversations(RouteContext c, ArraySegment<string> rest)
    {
        var account = _service.AccountSid;
        JsonNode Render(ConversationRecord r) => Representations.Conversation(account, r, c.Urls);
        var f = c.Form;
        if (rest.Count == 0)
        {
            return c.Method switch
            {
                "GET" => Ok(Paging.Page(_service.ListConversations(c.ServiceSid), r => r.Seq, false, c.Query, c.Urls.Scoped("/Conversations"), "conversations", Render)),
                "POST" => Created(Render(_service.CreateConversation(c.ServiceSid, f["FriendlyName"], Opt(f, "UniqueName"), f["Attributes"], Opt(f, "State")))),
                _ => throw Unsupported(c.Method, c.Relative, 405),
            };
        }

        var key = rest[0];
        if (rest.Count == 1)
        {
            return c.Method switch
            {
                "GET" => Ok(Render(_service.FetchConversation(c.ServiceSid, key))),
                "POST" => Ok(Render(_service.UpdateConversation(c.ServiceSid, key, Opt(f, "FriendlyName"), Opt(f, "UniqueName"), Opt(f, "Attributes"), Opt(f, "State")))),
                "DELETE" => Deleted(() => _service.DeleteConversation(c.ServiceSid, key)),
                _ => throw Unsupported(c.Method, c.Relative, 405),
            };
        }

        return rest[1] switch
        {
            "Participants" when rest.Count <= 3 => Participants(c, key, rest[2..]),
            "Messages" when rest.Count <= 3 => Messages(c, key, rest[2..]),
            _ => throw Unsupported(c.Method, c.Relative),
        };
    }

    private (int, JsonNode?) Participants(RouteContext c, string conversation, ArraySegment<string> rest)
    {
        var account = _service.AccountSid;
        JsonNode Render(ParticipantRecord r) => Representations.Participant(account, r, c.Urls);
        var f = c.Form;
        if (rest.Count == 0)
        {
            return c.Method switch
            {
                "GET" => Ok(Paging.Page(_service.ListParticipants(c.ServiceSid, conversation), p => p.Seq, false, c.Query,
                    c.Urls.Scoped($"/Conversations/{Uri.EscapeDataString(conversation)}/Participants"), "participants", Render)),
                "POST" => Created(Render(_service.CreateParticipant(c.ServiceSid, conversation, f["Identity"], Opt(f, "RoleSid"), f["Attributes"],
                    f["MessagingBinding.Address"], f["MessagingBinding.ProxyAddress"]))),
                _ => throw Unsupported(c.Method, c.Relative, 405),
            };
        }

        return c.Method switch
        {
            "GET" => Ok(Render(_service.FetchParticipant(c.ServiceSid, conversation, rest[0]))),
            "POST" => Ok(Render(_service.UpdateParticipant(c.ServiceSid, conversation, rest[0], Opt(f, "RoleSid"), Opt(f, "Attributes"),
                LastReadMessageIndex(f)))),
            "DELETE" => Deleted(() => _service.DeleteParticipant(c.ServiceSid, conversation, rest[0])),
            _ => throw Unsupported(c.Method, c.Relative, 405),
        };
    }

    private (int, JsonNode?) Messages(RouteContext c, string conversation, ArraySegment<string> rest)
    {
        var account = _service.AccountSid;
        JsonNode Render(MessageRecord r) => Representations.Message(account, r, c.Urls);
        var f = c.Form;
        if (rest.Count == 0)
        {
            switch (c.Method)
            {
                case "GET":
                    string? order = c.Query["Order"];
                    if (order is not (null or "" or "asc" or "desc"))
                    {
                        throw EmulatorException.BadRequest(ConversationService.InvalidParameter, "Order must be asc or desc");
                    }

                    var descending = order == "desc";
                    var messages = _service.ListMessages(c.ServiceSid, conversation);
                    var ordered = descending ? messages.Reverse().ToList() : messages;
                    return Ok(Paging.Page(ordered, m => m.Index, descending, c.Query, c.Urls.Scoped($"/Conversations/{Uri.EscapeDataString(conversation)}/Messages"),
                        "messages", Render, string.IsNullOrEmpty(order) ? null : "Order=" + order));
                case "POST":
                    return Created(Render(_service.CreateMessage(c.ServiceSid, conversation, Opt(f, "Author"), Opt(f, "Body"), f["Attributes"])));
                default:
                    throw Unsupported(c.Method, c.Relative, 405);
            }
        }

        return c.Method switch
        {
            "GET" => Ok(Render(_service.FetchMessage(c.ServiceSid, conversation, rest[0]))),
            "POST" => Ok(Render(_service.UpdateMessage(c.ServiceSid, conversation, rest[0], Opt(f, "Author"), Opt(f, "Body"), Opt(f, "Attributes")))),
            "DELETE" => Deleted(() => _service.DeleteMessage(c.ServiceSid, conversation, rest[0])),
            _ => throw Unsupported(c.Method, c.Relative, 405),
        };
    }

    /// <summary>
    /// The phone side of SMS participants: <c>POST sms/inbound</c> takes a text as Twilio's incoming-SMS webhook
    /// describes it (<c>From</c>, <c>To</c>, <c>Body</c>); <c>GET sms/outbox</c> lists the texts sent to SMS participants.
    /// </summary>
    private (int, JsonNode?) Sms(string method, string relative, string action, IFormCollection form, IQueryCollection query, string origin)
    {
        switch (action)
        {
            case "inbound" when method == "POST":
                var messages = _service.ReceiveSms(form["From"], form["To"], form["Body"]);
                return Created(new JsonObject
                {
                    ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode?)Representations.Message(_service.AccountSid, m,
                        new Urls(origin, m.ServiceSid == _service.DefaultServiceSid ? "/v1" : $"/v1/Services/{m.ServiceSid}")))]),
                });
            case "outbox" when method == "GET":
                return Ok(new JsonObject
                {
                    ["messages"] = new JsonArray([.. _service.ListOutbox(query["to"]).Select(m => (JsonNode?)Representations.Sms(m))]),
                });
            case "inbound" or "outbox":
                throw Unsupported(method, relative, 405);
            default:
                throw Unsupported(method, relative);
        }
    }

    /// <summary>The counter a write counts against under Twilio's rate limits, or null for reads and unlimited writes.</summary>
    private static string? RateLimitKey(string method, string serviceSid, ArraySegment<string> rest)
    {
        if (method is not ("POST" or "DELETE") || rest.Count == 0)
        {
            return null;
        }

        return rest[0] switch
        {
            "Users" => $"users:{serviceSid}",
            "Conversations" when rest.Count == 1 && method == "POST" => $"conversations:{serviceSid}",
            "Conversations" when rest.Count == 2 && method == "DELETE" => $"conversations:{serviceSid}",
            "Conversations" when rest.Count >= 3 && rest[2] is "Messages" or "Participants" => $"conversation:{serviceSid}:{rest[1]}",
            _ => null,
        };
    }

    private static (int, JsonNode?) Only(RouteContext c, string method, Func<(int, JsonNode?)> handle) =>
        c.Method == method ? handle() : throw Unsupported(c.Method, c.Relative, 405);

    private static (int, JsonNode?) Ok(JsonNode body) => (200, body);

    private static (int, JsonNode?) Created(JsonNode body) => (201, body);

    private static (int, JsonNode?) Deleted(Action delete)
    {
        delete();
        return (204, null);
    }

    private static string? Opt(IFormCollection form, string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;

    private static int? LastReadMessageIndex(IFormCollection form)
    {
        var value = Opt(form, "LastReadMessageIndex");
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw EmulatorException.BadRequest(ConversationService.InvalidLastReadMessageIndex, "LastReadMessageIndex must be an integer");
    }

    private static List<string> Permissions(IFormCollection form) =>
        form.TryGetValue("Permission", out StringValues values) ? [.. values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!)] : [];

    private static EmulatorException Unsupported(string method, string relative, int status = 404) =>
        status == 405
            ? new EmulatorException(405, 20004, $"The emulator does not support {method} {relative}")
            : new EmulatorException(404, 20404, $"The emulator does not support {method} {relative}");

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path} answered {Status}")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status);

    private sealed record RouteContext(string Method, string Relative, IFormCollection Form, IQueryCollection Query, Urls Urls, string ServiceSid, bool Scoped);
}

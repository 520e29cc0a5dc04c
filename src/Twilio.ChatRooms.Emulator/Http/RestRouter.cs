using System.Diagnostics;
using Twilio.ChatRooms.Emulator.Faults;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Http;

/// <summary>
/// The route table resources fill in: a pattern is a path of literal segments and <c>{name}</c> values, below the
/// service scope (<c>/v1/...</c> or <c>/v1/Services/{IS}/...</c>) or, for the emulator's own endpoints, below the mount.
/// </summary>
internal sealed class RestRoutes
{
    internal List<Route> Scoped { get; } = [];

    internal List<Route> Unscoped { get; } = [];

    /// <summary>A Twilio REST route below the service scope, such as <c>Conversations/{conversation}/Messages</c>.</summary>
    public void Map(string method, string pattern, Func<RestRequest, RestResult> handle, RateLimit limit = RateLimit.None) =>
        Scoped.Add(new Route(method, Split(pattern), handle, limit));

    /// <summary>An emulator-only route below the mount, such as <c>sms/inbound</c>.</summary>
    public void MapUnscoped(string method, string pattern, Func<RestRequest, RestResult> handle) =>
        Unscoped.Add(new Route(method, Split(pattern), handle, RateLimit.None));

    private static string[] Split(string pattern) => pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);

    internal sealed record Route(string Method, string[] Segments, Func<RestRequest, RestResult> Handle, RateLimit Limit)
    {
        public Dictionary<string, string>? Match(ReadOnlySpan<string> path)
        {
            if (path.Length != Segments.Length)
            {
                return null;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < path.Length; i++)
            {
                var segment = Segments[i];
                if (segment.StartsWith('{'))
                {
                    values[segment[1..^1]] = path[i];
                }
                else if (segment != path[i])
                {
                    return null;
                }
            }

            return values;
        }
    }
}

/// <summary>Finds the route of a request and runs it: 404/20404 for an unknown path, 405/20004 for an unknown method.</summary>
internal sealed class RestRouter
{
    private readonly RestRoutes _routes = new();
    private readonly EmulatorStore _store;
    private readonly FaultInjector _faults;
    private readonly TwilioRateLimiter _rateLimiter;

    public RestRouter(IEnumerable<IRestResource> resources, EmulatorStore store, FaultInjector faults, TwilioRateLimiter rateLimiter)
    {
        foreach (var resource in resources)
        {
            resource.Map(_routes);
        }

        _store = store;
        _faults = faults;
        _rateLimiter = rateLimiter;
    }

    /// <summary>Runs the request for <paramref name="relative"/>, the path below the mount with its escapes.</summary>
    public RestResult Dispatch(string method, string relative, Microsoft.AspNetCore.Http.IFormCollection form,
        Microsoft.AspNetCore.Http.IQueryCollection query, string origin, string accountSid)
    {
        // Split before unescaping, so an escaped '/' (%2F) in a unique name or identity stays inside its segment.
        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var defaultServiceSid = _store.DefaultServiceSid;
        RestRequest Request(string serviceSid, bool scoped, IReadOnlyDictionary<string, string> values) =>
            new(method, relative, form, query, origin, accountSid, defaultServiceSid, serviceSid, scoped, values);

        if (segments.Length == 0 || segments[0] != "v1")
        {
            var (unscoped, values) = Find(_routes.Unscoped, method, relative, segments);
            Describe(method, unscoped, "/", values);
            return unscoped.Handle(Request(defaultServiceSid, false, values));
        }

        var scoped = segments.Length >= 3 && segments[1] == "Services";
        var serviceSid = scoped ? segments[2] : defaultServiceSid;
        var rest = segments.AsSpan(scoped ? 3 : 1);
        if (!scoped && rest.Length == 0)
        {
            throw TwilioErrors.Unsupported(method, relative);
        }

        var (route, routeValues) = Find(_routes.Scoped, method, relative, rest);
        Describe(method, route, scoped ? "/v1/Services/{service}/" : "/v1/", routeValues);
        if (_faults.EnforceTwilioRateLimits && LimitKey(route.Limit, serviceSid, routeValues) is { } key && !_rateLimiter.TryAcquire(key))
        {
            throw TwilioErrors.TooManyRequests("Too Many Requests: Twilio's rate limit for this resource was exceeded");
        }

        return route.Handle(Request(serviceSid, scoped, routeValues));
    }

    private static (RestRoutes.Route Route, Dictionary<string, string> Values) Find(List<RestRoutes.Route> routes, string method,
        string relative, ReadOnlySpan<string> path)
    {
        var pathMatched = false;
        foreach (var route in routes)
        {
            if (route.Match(path) is { } values)
            {
                if (route.Method == method)
                {
                    return (route, values);
                }

                pathMatched = true;
            }
        }

        throw pathMatched ? TwilioErrors.UnsupportedMethod(method, relative) : TwilioErrors.Unsupported(method, relative);
    }

    /// <summary>
    /// Names the request's span after its route (<c>POST /v1/Conversations/{conversation}/Messages</c>) and, where the
    /// route names a conversation by SID, tags it as OpenTelemetry's messaging conventions say: the destination is the
    /// conversation, and creating a message is a <c>send</c>.
    /// </summary>
    private static void Describe(string method, RestRoutes.Route route, string scope, Dictionary<string, string> values)
    {
        if (Activity.Current is not { } activity || activity.Source != EmulatorTelemetry.Source)
        {
            return;
        }

        var template = scope + string.Join('/', route.Segments);
        activity.DisplayName = $"{method} {template}";
        activity.SetTag("http.route", template);
        if (values.TryGetValue("conversation", out var conversation) && EmulatorTelemetry.IsConversationSid(conversation))
        {
            activity.SetTag("messaging.system", EmulatorTelemetry.MessagingSystem);
            activity.SetTag("messaging.destination.name", conversation);
            if (method == "POST" && route.Segments[^1] == "Messages")
            {
                activity.SetTag("messaging.operation.type", "send");
                activity.SetTag("messaging.operation.name", "send");
            }
        }
    }

    private static string? LimitKey(RateLimit limit, string serviceSid, Dictionary<string, string> values) => limit switch
    {
        RateLimit.Users => $"users:{serviceSid}",
        RateLimit.Conversations => $"conversations:{serviceSid}",
        RateLimit.Conversation => $"conversation:{serviceSid}:{values["conversation"]}",
        _ => null,
    };
}

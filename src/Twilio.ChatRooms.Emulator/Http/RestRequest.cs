using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Twilio.ChatRooms.Emulator.Http;

/// <summary>Builds absolute URLs for one request: origin (scheme, host, path base, prefix) plus the scope's base path.</summary>
internal sealed record Urls(string Origin, string ScopeBase)
{
    public string Scoped(string path) => Origin + ScopeBase + path;

    public string Versioned(string path) => Origin + "/v1" + path;
}

/// <summary>One REST request as a route sees it: its service scope, its route values (unescaped), form and query.</summary>
internal sealed class RestRequest(string method, string path, IFormCollection form, IQueryCollection query, string origin,
    string accountSid, string defaultServiceSid, string serviceSid, bool scoped, IReadOnlyDictionary<string, string> values)
{
    public string Method => method;

    /// <summary>The path below the emulator's mount, still escaped (for error messages).</summary>
    public string Path => path;

    public string AccountSid => accountSid;

    /// <summary>The service the path names, or the default service for <c>/v1/...</c> paths.</summary>
    public string ServiceSid => serviceSid;

    /// <summary>Whether the path names its service (<c>/v1/Services/{IS}/...</c>).</summary>
    public bool Scoped => scoped;

    public IQueryCollection Query => query;

    public Urls Urls { get; } = new(origin, scoped ? $"/v1/Services/{serviceSid}" : "/v1");

    /// <summary>A route value such as <c>{conversation}</c>, unescaped.</summary>
    public string this[string name] => values[name];

    /// <summary>URLs as the default-service or scoped path of <paramref name="ofService"/> would build them.</summary>
    public Urls UrlsFor(string ofService) => new(origin, ofService == defaultServiceSid ? "/v1" : $"/v1/Services/{ofService}");

    /// <summary>A form field that takes one value; null when absent, 400 when sent more than once.</summary>
    public string? Field(string name) => RestForm.Single(form, name);

    /// <summary>A form field, null only when absent: an empty value is sent as "" (an update that clears).</summary>
    public string? Optional(string name) => RestForm.Single(form, name) is { Count: > 0 } value ? value.ToString() : null;

    /// <summary>Whether the form has the field at all (even with only an empty value).</summary>
    public bool Has(string name) => form.ContainsKey(name);

    /// <summary>Every non-empty value of a repeated form field.</summary>
    public List<string> All(string name) =>
        form.TryGetValue(name, out StringValues values) ? [.. values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!)] : [];
}

/// <summary>What a route answers: status and Twilio JSON (none for 204).</summary>
internal readonly record struct RestResult(int Status, JsonNode? Body)
{
    public static RestResult Ok(JsonNode body) => new(200, body);

    public static RestResult Created(JsonNode body) => new(201, body);

    public static RestResult Deleted(Action delete)
    {
        delete();
        return new(204, null);
    }
}

/// <summary>Which of Twilio's per-second write limits a route counts against.</summary>
internal enum RateLimit
{
    None,

    /// <summary>Conversation creates and deletes, per service.</summary>
    Conversations,

    /// <summary>User writes, per service.</summary>
    Users,

    /// <summary>Message and participant writes, per conversation (the <c>{conversation}</c> route value).</summary>
    Conversation,
}

/// <summary>A resource's REST routes; each resource folder has one, and <see cref="RestRouter"/> gathers them all.</summary>
internal interface IRestResource
{
    void Map(RestRoutes routes);
}

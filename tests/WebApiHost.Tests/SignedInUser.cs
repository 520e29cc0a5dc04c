using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebApiHost.Tests;

/// <summary>A user signed in through <c>POST /login</c> on a host in the username-only mode, with the session and token it got.</summary>
public sealed record SignedInUser(HostSession Session, string Identity, string Token, IReadOnlyList<string> Rooms)
{
    public static string NewName(string prefix = "user") => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    public static async Task<SignedInUser> LogInAsync(ChatHostFactory host, string identity)
    {
        var session = new HostSession(host);
        var response = await session.PostAsync("/login", new { username = identity });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        await session.RefreshAntiforgeryAsync();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return new SignedInUser(session, identity, body.GetProperty("token").GetString()!,
            [.. body.GetProperty("chatrooms").EnumerateArray().Select(r => r[0].GetString()!)]);
    }

    /// <summary>POSTs <paramref name="json"/> (raw, so tests can send malformed bodies) in this user's session.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string json) => Session.PostAsync(path, json);

    public Task<HttpResponseMessage> PostAsync(string path, object body) => Session.PostAsync(path, body);

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }
}

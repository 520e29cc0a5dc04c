using System.Net.Http.Json;
using System.Text.Json;

namespace Twilio.ChatRooms.Benchmarks.Login;

/// <summary>
/// The host's antiforgery pair for nobody signed in (the <c>chat.antiforgery</c> cookie and its request token), fetched
/// once: every login of the load generator is such a request, so one pair serves them all, as it would a browser's
/// first sign-in.
/// </summary>
internal sealed record AnonymousAntiforgery(string Cookie, string Token)
{
    public static async Task<AnonymousAntiforgery> FetchAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/antiforgery");
        response.EnsureSuccessStatusCode();
        var cookie = response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])
            .Single(c => c.StartsWith("chat.antiforgery=", StringComparison.Ordinal));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new AnonymousAntiforgery(cookie, body.GetProperty("token").GetString()!);
    }

    /// <summary>A POST with this pair: <c>/login</c> unless another path is named.</summary>
    public HttpRequestMessage Login(object body, string path = "/login")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Cookie", Cookie);
        request.Headers.Add("X-XSRF-TOKEN", Token);
        return request;
    }
}

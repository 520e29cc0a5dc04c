using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebApiHost.Tests;

/// <summary>A user signed in through <c>POST /login</c>, calling the host with the token it got.</summary>
public sealed record SignedInUser(HttpClient Client, string Identity, string Token, IReadOnlyList<string> Rooms)
{
    public static string NewName(string prefix = "user") => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    public static async Task<SignedInUser> LogInAsync(HttpClient client, string identity)
    {
        var response = await client.PostAsJsonAsync("/login", new { username = identity }, TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return new SignedInUser(client, identity, body.GetProperty("token").GetString()!,
            [.. body.GetProperty("chatrooms").EnumerateArray().Select(r => r[0].GetString()!)]);
    }

    /// <summary>POSTs <paramref name="json"/> (raw, so tests can send malformed bodies) with this user's token.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, string json, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", token ?? Token);
        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body) => PostAsync(path, JsonSerializer.Serialize(body));

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }
}

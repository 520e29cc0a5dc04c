using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WebApiHost.Tests;

/// <summary>
/// One browser without the browser: its own cookie jar on the real host, and the antiforgery token sent on every
/// state-changing call as the chat's page sends it (<c>GET /antiforgery</c>, then the <c>X-XSRF-TOKEN</c> header).
/// </summary>
public sealed class HostSession : IDisposable
{
    private readonly Uri _baseAddress;
    private string? _antiforgeryToken;

    public HostSession(ChatHostFactory host)
    {
        host.CreateRealClient().Dispose();   // the server is listening
        _baseAddress = host.BaseAddress;
        Client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, UseCookies = true }) { BaseAddress = host.BaseAddress };
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Client { get; }

    /// <summary>The session cookie, if signed in.</summary>
    public Cookie? SessionCookie => Cookies.GetCookies(_baseAddress)["chat.session"];

    /// <summary>A token for whoever is signed in now; needed again after every sign-in and sign-out.</summary>
    public async Task RefreshAntiforgeryAsync()
    {
        var body = await Client.GetFromJsonAsync<JsonElement>("/antiforgery", Ct);
        _antiforgeryToken = body.GetProperty("token").GetString();
    }

    /// <summary>POSTs raw JSON (so tests can send malformed bodies); null sends no body at all.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, string? json, bool antiforgery = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"),
        };
        return await SendAsync(request, antiforgery);
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body) => PostAsync(path, JsonSerializer.Serialize(body));

    public async Task<HttpResponseMessage> DeleteAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);
        return await SendAsync(request, antiforgery: true);
    }

    /// <summary><c>POST /account</c>, checked to succeed; the session is then signed in and has a fresh antiforgery token.</summary>
    public async Task CreateAccountAsync(string username, string password)
    {
        var response = await PostAsync("/account", new { username, password });
        response.StatusCode.Should().Be(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync(Ct));
        await RefreshAntiforgeryAsync();
    }

    /// <summary><c>POST /login</c> with a password; on success the antiforgery token is refreshed for the new user.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string username, string password)
    {
        var response = await PostAsync("/login", new { username, password });
        if (response.IsSuccessStatusCode)
        {
            await RefreshAntiforgeryAsync();
        }

        return response;
    }

    public void Dispose() => Client.Dispose();

    /// <summary>Sends in this session, with the antiforgery header unless told not to.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, bool antiforgery = true)
    {
        if (antiforgery)
        {
            if (_antiforgeryToken is null)
            {
                await RefreshAntiforgeryAsync();
            }

            request.Headers.Add("X-XSRF-TOKEN", _antiforgeryToken);
        }

        return await Client.SendAsync(request, Ct);
    }
}

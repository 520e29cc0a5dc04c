using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebApiHost.Tests.PostgreSql;

/// <summary>
/// Two hosts behind a load balancer, as it were: one PostgreSQL database holds the accounts, the sessions and the
/// Data Protection keys, so whichever host a request reaches honours what the other one did.
/// </summary>
public sealed class SharedAccountsTests
{
    private const string Password = "Shar3d-accounts!";

    [Fact]
    public async Task TwoHostsOnOneDatabase_UserMadeOnTheFirstSignsInOnTheSecond_AndTheFirstsCookieWorksThere()
    {
        await using var postgres = await PostgresServer.StartAsync(Ct);
        var database = new Dictionary<string, string> { ["ConnectionStrings:Accounts"] = postgres.ConnectionString("chatrooms") };
        await using var first = new ChatHostFactory { Settings = database };
        await using var second = new ChatHostFactory { Settings = database };
        var name = SignedInUser.NewName("shared");

        using var onFirst = new HostSession(first);
        await onFirst.CreateAccountAsync(name, Password);
        using var onSecond = new HostSession(second);
        var signIn = await onSecond.SignInAsync(name, Password);

        signIn.StatusCode.Should().Be(HttpStatusCode.OK, "the account made on the first host is in the shared database");
        (await signIn.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("identity").GetString().Should().Be(name);

        var firstsToken = (await onFirst.Client.GetFromJsonAsync<JsonElement>("/antiforgery", Ct)).GetProperty("token").GetString()!;
        var firstsCookies = onFirst.Cookies.GetCookieHeader(first.BaseAddress);
        var renewed = await SendWithCookiesAsync(second, "/token", firstsCookies, firstsToken);

        renewed.StatusCode.Should().Be(HttpStatusCode.OK, "the second host reads the first host's session cookie and antiforgery token");
        (await renewed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("identity").GetString().Should().Be(name);

        (await onFirst.PostAsync("/logout", json: null)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var afterSignOut = await SendWithCookiesAsync(second, "/token", firstsCookies, firstsToken);

        afterSignOut.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "signing out on the first host ends the session on the second");
    }

    /// <summary>A POST to <paramref name="host"/> carrying cookies another host set, as a browser behind a balancer would.</summary>
    private static async Task<HttpResponseMessage> SendWithCookiesAsync(ChatHostFactory host, string path, string cookies, string antiforgeryToken)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("Cookie", cookies);
        request.Headers.Add("X-XSRF-TOKEN", antiforgeryToken);
        return await client.SendAsync(request, Ct);
    }
}

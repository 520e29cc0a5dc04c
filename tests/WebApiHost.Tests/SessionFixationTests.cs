using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebApiHost.Tests;

/// <summary>
/// A session cookie a browser already holds (planted by somebody else: on localhost any page on another port can set it,
/// cookies ignore ports) must not become the session of whoever signs in next in that browser.
/// </summary>
public sealed class SessionFixationTests
{
    private const string Password = "Fixat1on-is-closed";

    [Theory]
    [InlineData("password")]
    [InlineData("new account")]
    public async Task SignIn_OverAPlantedSessionCookie_StartsANewSession_AndThePlantedOneIsDead(string how)
    {
        await using var host = new ChatHostFactory();
        using var attacker = new HostSession(host);
        await attacker.CreateAccountAsync(SignedInUser.NewName("mallory"), Password);
        var planted = attacker.SessionCookie!.Value;
        var victimName = SignedInUser.NewName("victim");
        if (how == "password")
        {
            using var owner = new HostSession(host);
            await owner.CreateAccountAsync(victimName, Password);
        }

        using var victim = new HostSession(host);
        victim.Cookies.Add(host.BaseAddress, new Cookie("chat.session", planted));
        await victim.RefreshAntiforgeryAsync();
        var signIn = how == "password"
            ? await victim.PostAsync("/login", new { username = victimName, password = Password })
            : await victim.PostAsync("/account", new { username = victimName, password = Password });

        signIn.IsSuccessStatusCode.Should().BeTrue(await signIn.Content.ReadAsStringAsync(Ct));
        await AssertFixationClosedAsync(host, victim, planted, victimName);
    }

    [Fact]
    public async Task UsernameOnlySignIn_OverAPlantedSessionCookie_StartsANewSession_AndThePlantedOneIsDead()
    {
        await using var host = new ChatHostFactory { UsernameOnly = true };
        var attacker = await SignedInUser.LogInAsync(host, SignedInUser.NewName("mallory"));
        var planted = attacker.Session.SessionCookie!.Value;
        var victimName = SignedInUser.NewName("victim");

        using var victim = new HostSession(host);
        victim.Cookies.Add(host.BaseAddress, new Cookie("chat.session", planted));
        await victim.RefreshAntiforgeryAsync();
        (await victim.PostAsync("/login", new { username = victimName })).StatusCode.Should().Be(HttpStatusCode.OK);

        await AssertFixationClosedAsync(host, victim, planted, victimName);
    }

    /// <summary>The victim has a session of their own under a new key; the planted key signs nobody in any more.</summary>
    private static async Task AssertFixationClosedAsync(ChatHostFactory host, HostSession victim, string planted, string victimName)
    {
        await victim.RefreshAntiforgeryAsync();
        var own = await victim.PostAsync("/token", json: null);
        own.StatusCode.Should().Be(HttpStatusCode.OK);
        (await own.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("identity").GetString().Should().Be(victimName);

        using var attackerAgain = new HostSession(host);
        attackerAgain.Cookies.Add(host.BaseAddress, new Cookie("chat.session", planted));
        var stolen = await attackerAgain.PostAsync("/token", json: null);
        stolen.StatusCode.Should().Be(HttpStatusCode.Unauthorized,
            "the planted session key must be dead after somebody signs in over it (it answered: {0})",
            await stolen.Content.ReadAsStringAsync(Ct));
    }
}

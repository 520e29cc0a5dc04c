using System.Net;

namespace WebApiHost.Tests;

/// <summary>
/// The lockout under parallel guesses: a burst of wrong passwords gets no more checks than
/// <c>Identity:Lockout:MaxFailedAccessAttempts</c> (5 by default), and the right password is never answered 401.
/// </summary>
public sealed class LockoutTests(ChatHostFactory factory) : IClassFixture<ChatHostFactory>
{
    private const string Password = "L0ckout-holds-in-bursts";
    private const string Wrong = "Wr0ng-password-guess";

    [Fact]
    public async Task TwentyFiveWrongPasswordsAtOnce_CheckAtMostFive_ThenTheAccountIsLocked()
    {
        var name = await AccountAsync(factory);

        var answers = await BurstAsync([factory], name, Enumerable.Repeat(Wrong, 25));
        var afterwards = await BurstAsync([factory], name, [Password]);

        answers.Should().OnlyContain(s => s == HttpStatusCode.Unauthorized || s == HttpStatusCode.TooManyRequests);
        answers.Count(s => s == HttpStatusCode.Unauthorized).Should().BeLessThan(5, "at most 5 guesses are checked, and the 5th wrong one locks (429)");
        afterwards.Should().Equal([HttpStatusCode.TooManyRequests], "the burst locked the account");
    }

    [Fact]
    public async Task EightWrongPasswordsAtOnce_ThenTheRightOne_IsLocked()
    {
        var name = await AccountAsync(factory);

        await BurstAsync([factory], name, Enumerable.Repeat(Wrong, 8));
        var ninth = await BurstAsync([factory], name, [Password]);

        ninth.Should().Equal([HttpStatusCode.TooManyRequests], "8 wrong guesses are more than the 5 allowed");
    }

    [Fact]
    public async Task TheRightPasswordAmongFourWrongOnesAtOnce_SignsIn()
    {
        var name = await AccountAsync(factory);

        var answers = await BurstAsync([factory], name, [Wrong, Wrong, Password, Wrong, Wrong]);

        answers[2].Should().Be(HttpStatusCode.OK, "five guesses fit the budget, and the right one is never refused under contention");
    }

    /// <summary>A new account with <see cref="Password"/>, signed out.</summary>
    internal static async Task<string> AccountAsync(ChatHostFactory host)
    {
        var name = SignedInUser.NewName("lock");
        using var owner = new HostSession(host);
        await owner.CreateAccountAsync(name, Password);
        return name;
    }

    /// <summary>
    /// One browser per password, each with its antiforgery token already fetched, then every <c>POST /login</c> at
    /// once, spread over <paramref name="hosts"/> in turn; the answers in the order of <paramref name="passwords"/>.
    /// </summary>
    internal static async Task<HttpStatusCode[]> BurstAsync(IReadOnlyList<ChatHostFactory> hosts, string name, IEnumerable<string> passwords)
    {
        var browsers = passwords.Select((password, i) => (Session: new HostSession(hosts[i % hosts.Count]), Password: password)).ToList();
        try
        {
            await Task.WhenAll(browsers.Select(b => b.Session.RefreshAntiforgeryAsync()));
            var answers = await Task.WhenAll(browsers.Select(b => b.Session.PostAsync("/login", new { username = name, password = b.Password })));
            return [.. answers.Select(a => a.StatusCode)];
        }
        finally
        {
            browsers.ForEach(b => b.Session.Dispose());
        }
    }
}

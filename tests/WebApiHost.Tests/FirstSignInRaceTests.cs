using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebApiHost.Tests;

/// <summary>
/// Many first sign-ins of one new name at once: the losers of the race for the account get what they would have got
/// coming second (the session in the username-only mode, "taken" for a new account), never a 500.
/// </summary>
public sealed class FirstSignInRaceTests
{
    [Fact]
    public async Task UsernameOnly_ThirtyFirstSignInsOfOneNewNameAtOnce_AllSignInAsThatName()
    {
        await using var host = new ChatHostFactory { UsernameOnly = true };
        foreach (var name in Enumerable.Range(0, 3).Select(_ => SignedInUser.NewName("racer")))
        {
            var answers = await AtOnceAsync([host], 30, "/login", new { username = name });

            answers.Select(a => a.Status).Should().AllBeEquivalentTo(HttpStatusCode.OK, string.Join("\n", answers.Select(a => a.Body)));
            answers.Select(a => JsonDocument.Parse(a.Body).RootElement.GetProperty("identity").GetString()).Should().AllBe(name);
        }
    }

    [Fact]
    public async Task SignUp_ThirtyNewAccountsOfOneNameAtOnce_OneIsMade_TheOthersAreToldItIsTaken()
    {
        await using var host = new ChatHostFactory();
        foreach (var name in Enumerable.Range(0, 3).Select(_ => SignedInUser.NewName("racer")))
        {
            var answers = await AtOnceAsync([host], 30, "/account", new { username = name, password = "Rac1ng-for-a-name" });

            AssertOneMadeOthersTaken(answers);
        }
    }

    internal static void AssertOneMadeOthersTaken(IReadOnlyList<(HttpStatusCode Status, string Body)> answers)
    {
        answers.Count(a => a.Status == HttpStatusCode.NoContent).Should().Be(1, string.Join("\n", answers.Select(a => a.Body)));
        answers.Where(a => a.Status != HttpStatusCode.NoContent).Should().AllSatisfy(a =>
        {
            a.Status.Should().Be(HttpStatusCode.BadRequest, a.Body);
            JsonDocument.Parse(a.Body).RootElement.GetProperty("errors").GetProperty("username")[0].GetString().Should().Contain("taken");
        });
    }

    /// <summary><paramref name="count"/> browsers, spread over <paramref name="hosts"/>, each POSTing the same body at once.</summary>
    internal static async Task<(HttpStatusCode Status, string Body)[]> AtOnceAsync(IReadOnlyList<ChatHostFactory> hosts, int count, string path, object body)
    {
        var browsers = Enumerable.Range(0, count).Select(i => new HostSession(hosts[i % hosts.Count])).ToList();
        try
        {
            await Task.WhenAll(browsers.Select(b => b.RefreshAntiforgeryAsync()));
            var answers = await Task.WhenAll(browsers.Select(b => b.PostAsync(path, body)));
            return await Task.WhenAll(answers.Select(async a => (a.StatusCode, await a.Content.ReadAsStringAsync(Ct))));
        }
        finally
        {
            browsers.ForEach(b => b.Dispose());
        }
    }
}

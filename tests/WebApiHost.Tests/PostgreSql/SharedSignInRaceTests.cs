using System.Net;

namespace WebApiHost.Tests.PostgreSql;

/// <summary>Two hosts on one PostgreSQL database, and requests racing on both: what one host counts, the other honours.</summary>
public sealed class SharedSignInRaceTests(SharedSignInRaceTests.TwoHosts hosts) : IClassFixture<SharedSignInRaceTests.TwoHosts>
{
    [Fact]
    public async Task TwentyFiveWrongPasswordsAtOnceOnTwoHosts_CheckAtMostFive_ThenTheAccountIsLockedOnBoth()
    {
        var name = await LockoutTests.AccountAsync(hosts.First);

        var answers = await LockoutTests.BurstAsync([hosts.First, hosts.Second], name, Enumerable.Repeat("Wr0ng-password-guess", 25));
        var afterwards = await LockoutTests.BurstAsync([hosts.First, hosts.Second], name, ["L0ckout-holds-in-bursts", "L0ckout-holds-in-bursts"]);

        answers.Should().OnlyContain(s => s == HttpStatusCode.Unauthorized || s == HttpStatusCode.TooManyRequests);
        answers.Count(s => s == HttpStatusCode.Unauthorized).Should().BeLessThan(5, "the failure slots are counted in the shared database");
        afterwards.Should().Equal(HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task SignUpsOfOneNameAtOnceOnTwoHosts_OneIsMade_TheOthersAreToldItIsTaken()
    {
        foreach (var name in Enumerable.Range(0, 4).Select(_ => SignedInUser.NewName("racer")))
        {
            var answers = await FirstSignInRaceTests.AtOnceAsync([hosts.First, hosts.Second], 32, "/account",
                new { username = name, password = "Rac1ng-for-a-name" });

            FirstSignInRaceTests.AssertOneMadeOthersTaken(answers);
        }
    }

    /// <summary>One PostgreSQL server and two hosts on one database of it, for the class.</summary>
    public sealed class TwoHosts : IAsyncLifetime
    {
        private PostgresServer? _postgres;

        public ChatHostFactory First { get; private set; } = null!;

        public ChatHostFactory Second { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            _postgres = await PostgresServer.StartAsync(TestContext.Current.CancellationToken);
            var database = new Dictionary<string, string> { ["ConnectionStrings:Accounts"] = _postgres.ConnectionString("chatrooms") };
            First = new ChatHostFactory { Settings = database };
            First.CreateRealClient().Dispose();   // the first host migrates the database before the second starts
            Second = new ChatHostFactory { Settings = database };
            Second.CreateRealClient().Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            await Second.DisposeAsync();
            await First.DisposeAsync();
            if (_postgres is not null)
            {
                await _postgres.DisposeAsync();
            }
        }
    }
}

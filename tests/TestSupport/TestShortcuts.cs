namespace Twilio.ChatRooms.TestSupport;

/// <summary>Imported statically by every test project (tests/Directory.Build.props), so each test reads <c>Ct</c>.</summary>
public static class TestShortcuts
{
    /// <summary>The running test's cancellation token: cancelled when the test run is stopped or the test times out.</summary>
    public static CancellationToken Ct => TestContext.Current.CancellationToken;
}

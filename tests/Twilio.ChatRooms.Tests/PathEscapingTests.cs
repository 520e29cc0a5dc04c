using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms.ConversationsRest;
using Twilio.ChatRooms.Http;

namespace Twilio.ChatRooms.Tests;

/// <summary>
/// What reaches the wire, read as the raw request line by a TCP listener: through the library's pipeline, the Twilio
/// SDK and System.Uri, exactly as a request leaves for Twilio.
/// </summary>
public sealed class PathEscapingTests
{
    private const string Service = "/emulator/v1/Services/" + Fake.ServiceSid;

    [Theory]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("a?b#c", "a%3Fb%23c")]
    [InlineData("%2e", "%252e")]
    [InlineData("...", "...")]
    [InlineData("ren\u00e9", "ren%C3%A9")]
    public async Task FetchUser_NameNeedingEscaping_ArrivesAsOneSegment(string identity, string onTheWire)
    {
        await using var server = await RawServer.StartAsync();
        await using var provider = Fake.Services(new SocketsHttpHandler(), o => o.BaseAddress = server.BaseAddress);

        await provider.GetRequiredService<ConversationsApi>().FetchUserAsync(Fake.ServiceSid, identity, Ct);

        server.RequestLines.Should().Equal($"GET {Service}/Users/{onTheWire} HTTP/1.1");
    }

    [Theory]
    [InlineData("/Users/..", "/")]
    [InlineData("/Users/%2E%2E", "/")]
    [InlineData("/Users/.", "/Users/")]
    [InlineData("/Users/%2e", "/Users/")]
    public async Task Sdk_DotSegmentEvenEscaped_IsCollapsedBeforeItLeaves(string path, string arrives)
    {
        // Why the library refuses "." and ".." instead of escaping them: System.Uri unescapes %2E and removes the segment.
        await using var server = await RawServer.StartAsync();
        await using var provider = Fake.Services(new SocketsHttpHandler(), o => o.BaseAddress = server.BaseAddress);

        await provider.GetRequiredService<TwilioRest>().SendAsync(TwilioRest.Get, $"/v1/Services/{Fake.ServiceSid}{path}", null, Ct);

        server.RequestLines.Should().Equal($"GET {Service}{arrives} HTTP/1.1");
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    public void RestPath_SegmentNoEscapeCanCarry_ThrowsArgumentException(string segment)
    {
        var act = () => RestPath.Service(Fake.ServiceSid, "Users", segment);

        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("one URL path segment");
    }

    /// <summary>Answers every request with <c>{"sid":"US..."}</c> and keeps its request line exactly as it arrived.</summary>
    private sealed class RawServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;

        public ConcurrentQueue<string> RequestLines { get; } = new();

        public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/emulator");

        public static Task<RawServer> StartAsync()
        {
            var server = new RawServer();
            server._listener.Start();
            server._loop = server.AcceptAsync();
            return Task.FromResult(server);
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    var stream = client.GetStream();
                    var head = new StringBuilder();
                    var buffer = new byte[4096];
                    while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            break;
                        }

                        head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }

                    RequestLines.Enqueue(head.ToString().Split("\r\n")[0]);
                    var body = """{"sid":"US0123456789abcdef0123456789abcdef"}""";
                    var response = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        }

        public async ValueTask DisposeAsync()
        {
            // Cancel first and wait for the loop to see it; stopping the listener under a pending accept would surface as a
            // SocketException (ECANCELED) instead of the cancellation the loop expects.
            await _stop.CancelAsync();
            await _loop;
            _listener.Stop();
            _stop.Dispose();
        }
    }
}

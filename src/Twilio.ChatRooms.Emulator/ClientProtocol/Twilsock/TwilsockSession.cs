using System.Net.WebSockets;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// One twilsock connection, from the server's side: it answers <c>init</c> and <c>update</c> with the token's verdict,
/// hands <c>message</c> frames to the REST face and replies, pings, warns before the token expires and closes with 410
/// when it has. Everything it writes goes through one bounded queue, so a client that stops reading is closed rather
/// than delaying anyone else.
/// </summary>
internal sealed class TwilsockSession : IDisposable
{
    /// <summary>The close status the SDK reads as "token expired" (twilsock.js <c>onIncomingMessage</c>).</summary>
    public const int TokenExpiredClose = 410;

    private readonly WebSocket _socket;
    private readonly ITwilsockAuthenticator _authenticator;
    private readonly ITwilsockRequestHandler _requests;
    private readonly TwilsockSessions _sessions;
    private readonly TwilsockOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<byte[]> _outgoing;
    private readonly CancellationTokenSource _closing = new();
    private readonly TwilsockClock _clock;
    private long _serverFrameId;

    public TwilsockSession(
        WebSocket socket,
        ITwilsockAuthenticator authenticator,
        ITwilsockRequestHandler requests,
        TwilsockSessions sessions,
        TwilsockOptions options,
        TimeProvider time,
        ILogger logger)
    {
        _socket = socket;
        _authenticator = authenticator;
        _requests = requests;
        _sessions = sessions;
        _options = options;
        _time = time;
        _logger = logger;
        _clock = new TwilsockClock(
            time,
            options,
            ping: () => Enqueue(TwilsockFrame.Create(new JsonObject { ["method"] = "ping", ["id"] = NextId() })),
            aboutToExpire: () => Enqueue(TwilsockFrame.Create(new JsonObject
            {
                ["method"] = "client_update", ["id"] = NextId(), ["client_update_type"] = "token_about_to_expire",
            })),
            expired: () => Close(TokenExpiredClose, "Token expired"));
        _outgoing = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(options.SendQueueLimit)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full; nothing is dropped silently
        });
    }

    /// <summary>The token's identity once <c>init</c> succeeded; null before.</summary>
    public TwilsockPrincipal? Principal { get; private set; }

    /// <summary>Serves the connection until either side closes it or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        var writer = WriteLoopAsync(cancellationToken);
        using var initDeadline = _time.CreateTimer(
            _ => { if (Principal is null) { Close(4001, "No init"); } }, null, _options.InitTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            await ReadLoopAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException e)
        {
            TwilsockLog.SocketFailed(_logger, e.Message);
        }
        finally
        {
            _clock.Dispose();
            if (Principal is { } principal)
            {
                _sessions.Remove(this, principal);
            }

            _outgoing.Writer.TryComplete();
            await writer.ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _clock.Dispose();
        _closing.Dispose();
    }

    /// <summary>
    /// Queues a <c>notification</c> frame. Returns false, and closes the connection, when the client is too far behind.
    /// </summary>
    public bool Notify(string messageType, JsonNode payload) =>
        Enqueue(TwilsockFrame.Create(new JsonObject { ["method"] = "notification", ["id"] = NextId(), ["message_type"] = messageType }, payload));

    /// <summary>Sends <c>close</c> with <paramref name="code"/> and ends the connection.</summary>
    public void Close(int code, string status)
    {
        Enqueue(TwilsockFrame.Create(new JsonObject { ["method"] = "close", ["id"] = NextId(), ["status"] = TwilsockFrame.Status(code, status) }));
        _outgoing.Writer.TryComplete();
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (_socket.State == WebSocketState.Open)
        {
            message.SetLength(0);
            var tooLarge = false;
            WebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                // Past the limit only the start is kept: enough to read the header and refuse the frame by its id.
                if (message.Length + result.Count > _options.MaxFrameBytes)
                {
                    tooLarge = true;
                    if (message.Length < 64 * 1024)
                    {
                        message.Write(buffer, 0, Math.Min(result.Count, 64 * 1024));
                    }
                }
                else
                {
                    message.Write(buffer, 0, result.Count);
                }
            }
            while (!result.EndOfMessage);

            if (!await HandleAsync(message.GetBuffer().AsMemory(0, (int)message.Length), tooLarge, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Handles one frame; false ends the connection.</summary>
    private async Task<bool> HandleAsync(ReadOnlyMemory<byte> data, bool tooLarge, CancellationToken cancellationToken)
    {
        if (tooLarge)
        {
            var id = TwilsockFrame.TryParseHeader(data.Span, out var header, out _, out _) ? TwilsockFrame.StringOf(header, "id") : null;
            TwilsockLog.FrameTooLarge(_logger, _options.MaxFrameBytes);
            if (id is not null)
            {
                Reply(id, TwilsockFrame.Status(413, "Payload Too Large", description: $"A frame may hold at most {_options.MaxFrameBytes} bytes."));
            }

            return true;
        }

        if (!TwilsockFrame.TryParse(data.Span, out var frame, out var error))
        {
            // The SDK drops what it cannot parse; so does the server, with a line in the log.
            TwilsockLog.FrameDropped(_logger, error);
            return true;
        }

        switch (frame.Method)
        {
            case "init":
                return await InitAsync(frame, cancellationToken).ConfigureAwait(false);
            case "update":
                await UpdateAsync(frame, cancellationToken).ConfigureAwait(false);
                return true;
            case "message":
                await MessageAsync(frame, cancellationToken).ConfigureAwait(false);
                return true;
            case "close":
                _outgoing.Writer.TryComplete();
                return false;
            case "reply" or "telemetry.v1":
                return true; // acknowledgements of our frames, and telemetry: nothing to answer
            default:
                if (frame.Id is { } other)
                {
                    Reply(other, TwilsockFrame.Status(200, "OK"));
                }

                return true;
        }
    }

    private async Task<bool> InitAsync(TwilsockFrame frame, CancellationToken cancellationToken)
    {
        var id = frame.Id ?? NextId();
        if (Principal is not null)
        {
            Reply(id, TwilsockFrame.Status(400, "Bad Request", description: "This connection is already initialised."));
            return true;
        }

        var verdict = await _authenticator.AuthenticateAsync(frame.HeaderString("token"), cancellationToken).ConfigureAwait(false);
        if (verdict.Principal is not { } principal)
        {
            // 401 is terminal for the SDK ("denied"); 20104 also raises tokenExpired.
            TwilsockLog.TokenRefused(_logger, "init", verdict.ErrorCode, verdict.Reason);
            Reply(id, TwilsockFrame.Status(401, "Unauthorized", verdict.ErrorCode, verdict.Reason));
            _outgoing.Writer.TryComplete();
            return false;
        }

        Principal = principal;
        _sessions.Add(this, principal);
        var header = new JsonObject
        {
            ["method"] = "reply",
            ["id"] = id,
            ["status"] = TwilsockFrame.Status(200, "OK"),
            ["continuation_token"] = "CT" + Guid.NewGuid().ToString("N"),
            ["capabilities"] = new JsonArray(),
        };
        Enqueue(TwilsockFrame.Create(header));
        _clock.Track(principal.ExpiresAt);
        TwilsockLog.Initialised(_logger, principal.Identity);
        return true;
    }

    private async Task UpdateAsync(TwilsockFrame frame, CancellationToken cancellationToken)
    {
        var id = frame.Id ?? NextId();
        var verdict = await _authenticator.AuthenticateAsync(frame.HeaderString("token"), cancellationToken).ConfigureAwait(false);
        if (verdict.Principal is not { } principal || Principal is not { } current
            || principal.Identity != current.Identity || principal.ServiceSid != current.ServiceSid)
        {
            var code = verdict.Principal is null ? verdict.ErrorCode : TwilsockAuthentication.InvalidToken;
            var reason = verdict.Principal is null ? verdict.Reason : "The new token is for another identity or service.";
            TwilsockLog.TokenRefused(_logger, "update", code, reason);
            Reply(id, TwilsockFrame.Status(401, "Unauthorized", code, reason));
            return;
        }

        Principal = principal;
        Reply(id, TwilsockFrame.Status(200, "OK"));
        _clock.Track(principal.ExpiresAt);
    }

    private async Task MessageAsync(TwilsockFrame frame, CancellationToken cancellationToken)
    {
        var id = frame.Id ?? NextId();
        if (Principal is null)
        {
            Reply(id, TwilsockFrame.Status(401, "Unauthorized", TwilsockAuthentication.InvalidToken, "Send init first."));
            return;
        }

        if (!TunnelledRequestReader.TryRead(frame, out var request, out var error))
        {
            Reply(id, TwilsockFrame.Status(400, "Bad Request", description: error));
            return;
        }

        TunnelledResponse response;
        try
        {
            response = await _requests.HandleAsync(this, request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The SDK reads a failed http_status as an error; never a dropped socket or a stack trace.
            TwilsockLog.RequestFailed(_logger, e, request.Method, request.Path);
            response = new TunnelledResponse(500, new JsonObject { ["status"] = 500, ["code"] = 20500, ["message"] = "Internal server error" });
        }

        var header = new JsonObject
        {
            ["method"] = "reply",
            ["id"] = id,
            ["status"] = TwilsockFrame.Status(200, "OK"),
            ["http_status"] = TwilsockFrame.Status(response.Status, Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(response.Status)),
            ["http_headers"] = new JsonObject(),
        };
        Enqueue(TwilsockFrame.Create(header, response.Body));
    }

    private void Reply(string id, JsonObject status) =>
        Enqueue(TwilsockFrame.Create(new JsonObject { ["method"] = "reply", ["id"] = id, ["status"] = status }));

    private bool Enqueue(TwilsockFrame frame)
    {
        if (_outgoing.Writer.TryWrite(frame.Encode()))
        {
            return true;
        }

        if (!_closing.IsCancellationRequested)
        {
            TwilsockLog.TooFarBehind(_logger, Principal?.Identity, _options.SendQueueLimit);
            _outgoing.Writer.TryComplete();
            _closing.Cancel();
            _socket.Abort();
        }

        return false;
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var bytes in _outgoing.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
            }

            // Everything is sent: let the client read it and close its side (the SDK does, after a close frame), and
            // stop waiting for it after a while.
            _closing.CancelAfter(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
            _closing.Cancel(); // a failed writer ends the reader too
        }
    }

    private string NextId() => "TS" + Interlocked.Increment(ref _serverFrameId).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.ClientProtocol.Twilsock;

/// <summary>
/// One twilsock connection, from the server's side: it answers <c>init</c> and <c>update</c> with the token's verdict,
/// hands <c>message</c> frames to the REST face (<see cref="TwilsockTunnel"/>) and replies, pings, warns before the token expires and closes with 410
/// when it has. Everything it writes goes through one bounded queue, so a client that stops reading is closed rather
/// than delaying anyone else.
/// </summary>
internal sealed class TwilsockSession : IDisposable
{
    private readonly WebSocket _socket;
    private readonly ITwilsockAuthenticator _authenticator;
    private readonly ITwilsockRequestHandler _requests;
    private readonly TwilsockSessions _sessions;
    private readonly TwilsockOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TwilsockOutbox _outgoing;
    private readonly CancellationTokenSource _closing = new();
    private readonly TwilsockClock _clock;
    private const string NoToken = "(no token)";
    private ITimer? _initDeadline;
    private long _serverFrameId;
    private int _unreadableFrames; // read by the read loop only

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
            expired: () => Close(TwilsockClose.TokenExpired, "Token expired"));
        _outgoing = new TwilsockOutbox(socket, options.MaxQueuedFrames);
    }

    /// <summary>The token's identity once <c>init</c> succeeded; null before.</summary>
    public TwilsockPrincipal? Principal { get; private set; }

    /// <summary>When <c>init</c> succeeded; null before.</summary>
    public DateTimeOffset? Since { get; private set; }

    /// <summary>How many frames wait to be sent to the client now (the inspector shows it).</summary>
    public int QueuedFrames => _outgoing.Depth;

    /// <summary>Serves the connection until either side closes it or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        var writer = WriteLoopAsync(cancellationToken);
        _initDeadline = _time.CreateTimer(
            _ => { if (Principal is null) { Close(TwilsockClose.NoInit, "No init"); } }, null, _options.InitTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            await ReadLoopAsync(linked).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_closing.IsCancellationRequested)
        {
            // Neither the host nor the session ended it: a frame's read deadline passed.
            TwilsockLog.FrameTimedOut(_logger, Principal?.Identity ?? NoToken, _options.FrameReadTimeout);
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
            if (_unreadableFrames > 1)
            {
                TwilsockLog.MoreFramesDropped(_logger, Principal?.Identity ?? NoToken, _unreadableFrames - 1);
            }

            _initDeadline?.Dispose();
            _clock.Dispose();
            if (Principal is { } principal)
            {
                _sessions.Remove(this, principal);
            }

            _outgoing.Complete();
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
    /// Queues an event pushed to the client, whose bytes may be shared with other connections. Returns false, and
    /// drops the connection, when the client is too far behind (<see cref="TwilsockOptions.MaxQueuedFrames"/>).
    /// </summary>
    public bool Notify(TwilsockNotification notification) =>
        Queued(_outgoing.TryQueue(notification, Interlocked.Increment(ref _serverFrameId), pushed: true));

    /// <summary>
    /// Queues a <c>notification</c> frame that answers this client's own request (a subscription's confirmation, the
    /// events it missed), which does not count as falling behind.
    /// </summary>
    public bool NotifyInAnswer(string messageType, JsonNode payload) =>
        Queued(_outgoing.TryQueue(new TwilsockNotification(messageType, payload), Interlocked.Increment(ref _serverFrameId), pushed: false));

    /// <summary>Sends <c>close</c> with <paramref name="code"/> and ends the connection.</summary>
    public void Close(int code, string status)
    {
        Enqueue(TwilsockFrame.Create(new JsonObject { ["method"] = "close", ["id"] = NextId(), ["status"] = TwilsockFrame.Status(code, status) }));
        _outgoing.Complete();
    }

    /// <summary>
    /// Ends the connection at once: no close frame, the socket aborted, as a network failure would. The SDK sees a lost
    /// connection and reconnects with the last event ids it holds.
    /// </summary>
    public void Abort()
    {
        _outgoing.Complete();
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return; // the connection had already ended
        }

        _socket.Abort();
    }

    /// <summary>Reads and handles frames until the connection ends; <paramref name="reading"/> is cancelled when a frame's deadline passes.</summary>
    private async Task ReadLoopAsync(CancellationTokenSource reading)
    {
        var cancellationToken = reading.Token;
        while (_socket.State == WebSocketState.Open)
        {
            // A zero-byte read waits for the next message without holding a buffer: an idle connection holds none.
            if ((await _socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false)).MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            // Once a frame has begun, the rest must come soon: a half-sent frame holds a buffer. Before init only a small
            // frame is read at all (the SDK sends nothing but init), so no one holds memory without a token.
            reading.CancelAfter(_options.FrameReadTimeout);
            var initialised = Principal is not null;
            var limit = initialised ? _options.MaxFrameBytes : _options.MaxFrameBytesBeforeInit;
            var (buffer, length, tooLarge, closed) = await TwilsockInbox.ReceiveAsync(_socket, limit, readRest: initialised, cancellationToken).ConfigureAwait(false);
            reading.TryReset(); // the deadline is the frame's; handling it and waiting for the next have none
            try
            {
                if (tooLarge && !initialised)
                {
                    TwilsockLog.FrameTooLargeBeforeInit(_logger, limit);
                    Abort();
                    return;
                }

                if (closed || !await HandleAsync(buffer.AsMemory(0, length), tooLarge, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer); // the frame parsed copies what it keeps
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
            // The SDK drops what it cannot parse; so does the server. The first is logged and the rest only counted (one
            // line when the connection ends), so that a client sending garbage cannot fill the log.
            if (_unreadableFrames++ == 0)
            {
                TwilsockLog.FrameDropped(_logger, error);
            }

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
                _outgoing.Complete();
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
            EmulatorTelemetry.Refused("unauthenticated", "twilsock");
            Reply(id, TwilsockFrame.Status(401, "Unauthorized", verdict.ErrorCode, verdict.Reason));
            _outgoing.Complete();
            return false;
        }

        Since = _time.GetUtcNow(); // before the connection is listed: whoever sees it listed sees since when
        if (!_sessions.TryAdd(this, principal, _options.MaxConnectionsPerIdentity))
        {
            TwilsockLog.TooManyConnections(_logger, principal.Identity, _options.MaxConnectionsPerIdentity);
            EmulatorTelemetry.Refused("connection_limit", "twilsock");
            Reply(id, TwilsockFrame.Status(429, "Too Many Requests", TwilioErrors.TooManyRequestsCode,
                $"This user holds {_options.MaxConnectionsPerIdentity} connections already, the most allowed (MaxConnectionsPerIdentity)."));
            _outgoing.Complete();
            return false;
        }

        Principal = principal;
        _initDeadline?.Dispose(); // an idle connection keeps only the clock's timers
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
            EmulatorTelemetry.Refused("unauthenticated", "twilsock");
            Reply(id, TwilsockFrame.Status(401, "Unauthorized", code, reason));
            return;
        }

        Principal = principal;
        Reply(id, TwilsockFrame.Status(200, "OK"));
        _clock.Track(principal.ExpiresAt);
    }

    private async Task MessageAsync(TwilsockFrame frame, CancellationToken cancellationToken) =>
        Queued(_outgoing.TryQueue(await TwilsockTunnel.AnswerAsync(this, frame, frame.Id ?? NextId(), _requests, _logger, cancellationToken).ConfigureAwait(false)));

    private void Reply(string id, JsonObject status) => Enqueue(TwilsockFrame.Reply(id, status));

    private bool Enqueue(TwilsockFrame frame) => Queued(_outgoing.TryQueue(frame.Encode()));

    /// <summary>Drops the connection when its queue was full (not when it was closing: a close frame is on its way).</summary>
    private bool Queued(bool queued)
    {
        if (!queued && !_closing.IsCancellationRequested && !_outgoing.IsComplete)
        {
            // No close frame: it would wait behind the queue the client does not read. An aborted socket is a lost
            // connection to the SDK, which reconnects and resubscribes from the last event id it holds.
            TwilsockLog.TooFarBehind(_logger, Principal?.Identity, _options.MaxQueuedFrames);
            EmulatorTelemetry.Refused("too_far_behind", "twilsock");
            Abort();
        }

        return queued;
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _outgoing.SendAllAsync(cancellationToken).ConfigureAwait(false);

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

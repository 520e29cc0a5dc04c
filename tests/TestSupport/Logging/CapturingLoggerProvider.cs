using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>One line logged: its category, level, formatted message and exception.</summary>
public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception)
{
    /// <summary>Everything the line says, as a console logger would write it (exception included): for "no secret in any log line".</summary>
    public override string ToString() => $"{Category} {Level} {Message} {Exception}";
}

/// <summary>Keeps every line logged through it, at every level, for tests of what a server or the library logs.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception));
    }
}

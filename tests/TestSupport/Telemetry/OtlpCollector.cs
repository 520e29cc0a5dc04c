using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Twilio.ChatRooms.TestSupport;

/// <summary>An OTLP/HTTP endpoint on 127.0.0.1 that keeps what each path was sent (protobuf, read here as Latin-1 text: names and values are plain bytes in it).</summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();

    private OtlpCollector(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<OtlpCollector> StartAsync()
    {
        var url = $"http://127.0.0.1:{NetworkAddresses.FreePort()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        var collector = new OtlpCollector(app, url);
        app.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            collector._received.Enqueue((context.Request.Path.Value!, buffer.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync(TestShortcuts.Ct);
        return collector;
    }

    /// <summary>Waits until what <paramref name="path"/> was sent holds every one of <paramref name="expected"/>.</summary>
    public async Task WaitForAsync(string path, params string[] expected)
    {
        while (!expected.All(Received(path).Contains))
        {
            await Task.Delay(50, TestShortcuts.Ct);
        }
    }

    public string Received(string path) =>
        string.Concat(_received.Where(r => r.Path == path).Select(r => Encoding.Latin1.GetString(r.Body)));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

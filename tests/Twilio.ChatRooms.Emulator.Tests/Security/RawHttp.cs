using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Twilio.ChatRooms.Emulator.Tests.Security;

/// <summary>
/// HTTP/1.0 (no chunked answers) over a plain TCP socket, so the request target reaches the server byte for byte (HttpClient and
/// <see cref="Uri"/> would collapse <c>.</c> and <c>..</c> segments before sending).
/// </summary>
internal static class RawHttp
{
    public static async Task<(int Status, JsonElement? Body)> SendAsync(Uri server, string method, string target,
        EmulatorCredentials? credentials, string? form = null, string? host = null, CancellationToken cancellationToken = default)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, cancellationToken);
        await using var stream = tcp.GetStream();
        var request = new StringBuilder()
            .Append(method + " " + target + " HTTP/1.0\r\n")
            .Append("Host: " + (host ?? server.Authority) + "\r\n")
            .Append("Connection: close\r\n");
        if (credentials is not null)
        {
            var pair = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.ApiKeySid}:{credentials.ApiKeySecret}"));
            request.Append("Authorization: Basic " + pair + "\r\n");
        }

        var body = Encoding.UTF8.GetBytes(form ?? "");
        if (form is not null)
        {
            request.Append("Content-Type: application/x-www-form-urlencoded\r\n");
        }

        request.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), cancellationToken);
        await stream.WriteAsync(body, cancellationToken);

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync(cancellationToken);
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var content = split < 0 ? "" : response[(split + 4)..];
        return (status, content.Length == 0 ? null : JsonDocument.Parse(content).RootElement.Clone());
    }
}

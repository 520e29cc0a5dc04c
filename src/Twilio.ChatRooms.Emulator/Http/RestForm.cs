using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Http;

/// <summary>
/// Reads a REST request's parameters strictly: a body that is not a well-formed form (bad percent-encoding, invalid
/// UTF-8, a NUL, a broken multipart body, another content type) is refused with 400/20001 naming the fault, before any
/// route runs. ASP.NET Core's own form reader is lenient about encodings (a bad escape or byte becomes a value nobody
/// sent) and throws for broken bodies, which became 500s with a stack trace.
/// </summary>
internal static class RestForm
{
    /// <summary>Far above the largest valid request (a 32 KB body with 4 KB attributes), far below what would hurt.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Twilio's parameter names are short (the longest is <c>MessagingBinding.ProjectedAddress</c>).</summary>
    public const int MaxFieldNameLength = 256;

    public const int MaxFields = 256;

    // RFC 2046's limit.
    private const int MaxBoundaryLength = 70;

    private const string FormType = "application/x-www-form-urlencoded";
    private const string MultipartType = "multipart/form-data";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<IFormCollection> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return FormCollection.Empty;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
        {
            throw Malformed(request.ContentType is null
                ? $"The request has a body but no Content-Type: send the parameters as {FormType}"
                : $"Content-Type '{Shorten(request.ContentType)}' is not supported: send the parameters as {FormType}");
        }

        if (type.MediaType.Equals(FormType, StringComparison.OrdinalIgnoreCase))
        {
            return UrlEncoded(body);
        }

        if (type.MediaType.Equals(MultipartType, StringComparison.OrdinalIgnoreCase))
        {
            return await MultipartAsync(HeaderUtilities.RemoveQuotes(type.Boundary).Value, body, cancellationToken).ConfigureAwait(false);
        }

        throw Malformed($"Content-Type '{Shorten(type.MediaType.Value ?? "")}' is not supported: send the parameters as {FormType}");
    }

    /// <summary>The one value of a field that takes one; null when absent.</summary>
    public static StringValues Single(IFormCollection form, string name)
    {
        var values = form[name];
        return values.Count > 1
            ? throw Malformed($"{name} is sent {values.Count.ToString(CultureInfo.InvariantCulture)} times: it takes one value")
            : values;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    throw TooLarge();
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e)
        {
            // Such as a chunked body that breaks off: the server's words say what.
            throw Malformed($"The request body could not be read: {e.Message}");
        }

        return buffer.ToArray();
    }

    private static FormCollection UrlEncoded(byte[] body)
    {
        var fields = new Fields();
        var start = 0;
        while (start <= body.Length)
        {
            var end = Array.IndexOf(body, (byte)'&', start);
            if (end < 0)
            {
                end = body.Length;
            }

            var pair = body.AsSpan(start, end - start);
            if (!pair.IsEmpty)
            {
                var equals = pair.IndexOf((byte)'=');
                var name = Decode(equals < 0 ? pair : pair[..equals], null, start);
                fields.Add(name, Decode(equals < 0 ? [] : pair[(equals + 1)..], name, start + equals + 1));
            }

            start = end + 1;
        }

        return fields.ToForm();
    }

    /// <summary>Percent-decodes and UTF-8-decodes one name or value; <paramref name="field"/> is null for a name.</summary>
    private static string Decode(ReadOnlySpan<byte> encoded, string? field, int offset)
    {
        if (field is null && encoded.Length > MaxFieldNameLength * 3)
        {
            throw FieldNameTooLong();
        }

        var bytes = new byte[encoded.Length];
        var length = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var b = encoded[i];
            if (b == '%')
            {
                if (i + 2 >= encoded.Length || !IsHex(encoded[i + 1]) || !IsHex(encoded[i + 2]))
                {
                    throw Malformed($"The form has a '%' at byte {(offset + i).ToString(CultureInfo.InvariantCulture)} that is not followed by two hex digits: " +
                        "it is not valid percent-encoding");
                }

                b = (byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2]));
                i += 2;
            }
            else if (b == '+')
            {
                b = (byte)' ';
            }

            bytes[length++] = b;
        }

        return Text(bytes.AsSpan(0, length), field);
    }

    private static async Task<FormCollection> MultipartAsync(string? boundary, byte[] body, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(boundary))
        {
            throw Malformed($"The {MultipartType} body has no boundary in its Content-Type");
        }

        if (boundary.Length > MaxBoundaryLength)
        {
            throw Malformed($"The {MultipartType} boundary is longer than {MaxBoundaryLength} characters");
        }

        var fields = new Fields();
        try
        {
            var reader = new MultipartReader(boundary, new MemoryStream(body, writable: false)) { BodyLengthLimit = MaxBodyBytes };
            var sections = 0;
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                sections++;
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.IsFormDisposition() || StringSegment.IsNullOrEmpty(disposition.Name))
                {
                    throw Malformed($"A part of the {MultipartType} body has no Content-Disposition: form-data with a name");
                }

                if (disposition.IsFileDisposition())
                {
                    throw Malformed($"A part of the {MultipartType} body is a file: the emulator takes no files");
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value!;
                if (name.Length > MaxFieldNameLength)
                {
                    throw FieldNameTooLong();
                }

                using var value = new MemoryStream();
                await section.Body.CopyToAsync(value, cancellationToken).ConfigureAwait(false);
                fields.Add(Text(Encoding.UTF8.GetBytes(name), null), Text(value.GetBuffer().AsSpan(0, (int)value.Length), name));
            }

            if (sections == 0)
            {
                throw Malformed($"The {MultipartType} body has no part that starts with its boundary");
            }
        }
        catch (InvalidDataException e)
        {
            // What the multipart reader says is wrong, such as a part's headers too long.
            throw Malformed($"The {MultipartType} body is malformed: {e.Message}");
        }
        catch (IOException)
        {
            // The reader's "unexpected end of stream": the body is all read already, so it ended early.
            throw Malformed($"The {MultipartType} body ends before its closing boundary (a truncated body, or another boundary than its Content-Type's)");
        }

        return fields.ToForm();
    }

    /// <summary>Strict UTF-8 without NUL characters; <paramref name="field"/> is null for a field name.</summary>
    private static string Text(ReadOnlySpan<byte> bytes, string? field)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Malformed(field is null ? "A field name is not valid UTF-8" : $"{field} is not valid UTF-8");
        }

        if (field is null && text.Length > MaxFieldNameLength)
        {
            throw FieldNameTooLong();
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw Malformed(field is null ? "A field name holds a NUL character (%00)" : $"{field} holds a NUL character (%00)");
        }

        return text;
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "...";

    private static EmulatorException Malformed(string message) => TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, message);

    private static EmulatorException TooLarge() =>
        Malformed($"The request body is larger than {MaxBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes");

    private static EmulatorException FieldNameTooLong() =>
        Malformed($"A field name is longer than {MaxFieldNameLength.ToString(CultureInfo.InvariantCulture)} characters");

    /// <summary>Fields by name, as ASP.NET Core's form keeps them (names compared ignoring case), counted.</summary>
    private sealed class Fields
    {
        private readonly Dictionary<string, StringValues> _fields = new(StringComparer.OrdinalIgnoreCase);
        private int _count;

        public void Add(string name, string value)
        {
            if (name.Length == 0)
            {
                throw Malformed("The form has a value without a field name");
            }

            if (++_count > MaxFields)
            {
                throw Malformed($"The form has more than {MaxFields.ToString(CultureInfo.InvariantCulture)} fields");
            }

            _fields[name] = StringValues.Concat(_fields.GetValueOrDefault(name), value);
        }

        public FormCollection ToForm() => new(_fields);
    }
}

using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest;
using TwilioMethod = Twilio.Http.HttpMethod;

namespace Twilio.ChatRooms.Http;

/// <summary>
/// Every request to Twilio goes through here: the SDK sends it (auth, errors), this class makes it cancellable, pages
/// fully asynchronously and maps the SDK's exceptions to <see cref="ChatRoomsException"/> in one place.
/// </summary>
internal sealed class TwilioRest(TwilioClientFactory clientFactory, IOptions<TwilioChatRoomsOptions> options, ILogger<TwilioRest> logger)
{
    // Twilio fires webhooks for a REST change only with this header (TwilioChatRoomsOptions.FireWebhooks).
    private static readonly List<KeyValuePair<string, string>> FireWebhooksHeader = [new("X-Twilio-Webhook-Enabled", "true")];

    /// <summary>Twilio's largest page of conversations and participants.</summary>
    public const int PageSize = 100;

    /// <summary>Twilio's largest page of roles, users and a user's conversations (its API description says 50 there).</summary>
    public const int SmallPageSize = 50;

    public static readonly TwilioMethod Get = TwilioMethod.Get;
    public static readonly TwilioMethod Post = TwilioMethod.Post;
    public static readonly TwilioMethod Delete = TwilioMethod.Delete;

    /// <summary>Sends one request and returns the parsed JSON body (default for an empty body, as after a DELETE).</summary>
    public Task<JsonElement> SendAsync(
        TwilioMethod method,
        string path,
        List<KeyValuePair<string, string>>? form,
        CancellationToken cancellationToken)
        => SendAsync(new Request(method, Domain.Conversations, path, postParams: form,
            headerParams: method != Get && options.Value.FireWebhooks ? FireWebhooksHeader : null), cancellationToken);

    /// <summary>
    /// Reads every record of a list resource, one page (of <paramref name="pageSize"/>: <see cref="PageSize"/> or
    /// <see cref="SmallPageSize"/>, the largest the resource allows) at a time, asynchronously.
    /// </summary>
    public async IAsyncEnumerable<JsonElement> ReadAllAsync(
        string path,
        string key,
        int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new Request(
            Get,
            Domain.Conversations,
            path,
            queryParams: [new("PageSize", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        while (request is not null)
        {
            var page = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (page.ValueKind == JsonValueKind.Object && page.TryGetProperty(key, out var records)
                && records.ValueKind == JsonValueKind.Array)
            {
                foreach (var record in records.EnumerateArray())
                {
                    yield return record;
                }
            }

            request = NextPage(page) is { } next ? new Request(Get, next) : null;
        }
    }

    private static string? NextPage(JsonElement page)
    {
        if (page.ValueKind != JsonValueKind.Object || !page.TryGetProperty("meta", out var meta)
            || meta.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (meta.TryGetProperty("next_page_url", out var url) && url.ValueKind == JsonValueKind.String
            && !string.IsNullOrEmpty(url.GetString()))
        {
            var next = url.GetString()!;
            return Uri.TryCreate(next, UriKind.Absolute, out _) ? next : "https://conversations.twilio.com" + next;
        }

        return null;
    }

    private async Task<JsonElement> SendAsync(Request request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var client = clientFactory.Create();
        var call = new SdkCall(cancellationToken);
        Response response;
        try
        {
            using (SdkCallContext.Use(call))
            {
                response = await client.RequestAsync(request).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is ApiException or ApiConnectionException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var mapped = ChatRoomsErrors.FromTwilio(e, clientFactory.Target, call.RetryAfter);
            if (mapped.Status is 404 or 409)
            {
                // Often expected (a user or member that exists, a name that is taken): the caller decides.
                Log.RequestRefused(logger, request.Method.ToString(), request.Uri.AbsolutePath, mapped.Status, mapped.TwilioCode, mapped.Kind);
            }
            else
            {
                Log.RequestFailed(logger, request.Method.ToString(), request.Uri.AbsolutePath, mapped.Status, mapped.TwilioCode, mapped.Kind);
            }

            throw mapped;
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (string.IsNullOrWhiteSpace(response.Content))
        {
            return default;
        }

        using var document = JsonDocument.Parse(response.Content);
        return document.RootElement.Clone();
    }
}

using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Twilio.ChatRooms.ConversationsRest;
using Twilio.ChatRooms.Http;

namespace Twilio.ChatRooms;

/// <summary>The registration behind <c>AddTwilioChatRooms</c>.</summary>
internal static class ChatRoomsRegistration
{
    private static readonly (string Key, Action<TwilioChatRoomsOptions, string> Apply, Func<TwilioChatRoomsOptions, bool> IsUnset)[] TutorialVariables =
    [
        ("TWILIO_ACCOUNT_SID", (o, v) => o.AccountSid = v, o => string.IsNullOrEmpty(o.AccountSid)),
        ("TWILIO_AUTH_TOKEN", (o, v) => o.AuthToken = v, o => string.IsNullOrEmpty(o.AuthToken)),
        ("TWILIO_API_KEY_SID", (o, v) => o.ApiKeySid = v, o => string.IsNullOrEmpty(o.ApiKeySid)),
        ("TWILIO_API_KEY_SECRET", (o, v) => o.ApiKeySecret = v, o => string.IsNullOrEmpty(o.ApiKeySecret)),
        ("TWILIO_CONVERSATIONS_SERVICE_SID", (o, v) => o.ServiceSid = v, o => string.IsNullOrEmpty(o.ServiceSid)),
    ];

    /// <summary>Binds the options to <paramref name="section"/>, falling back to the tutorial's TWILIO_* variables.</summary>
    public static void BindConfiguration(IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<TwilioChatRoomsOptions>()
            .Bind(section)
            .Configure<IServiceProvider>((options, provider) =>
            {
                // The section's own keys win; the tutorial's variables fill what it leaves unset, looked up in the
                // section itself (when it is the root) and then in the application's configuration.
                var root = provider.GetService<IConfiguration>();
                foreach (var (key, apply, isUnset) in TutorialVariables)
                {
                    if (!isUnset(options))
                    {
                        continue;
                    }

                    var value = section[key];
                    if (string.IsNullOrEmpty(value))
                    {
                        value = root?[key];
                    }

                    if (!string.IsNullOrEmpty(value))
                    {
                        apply(options, value);
                    }
                }
            });
    }

    /// <summary>Registers the options validation, the HTTP pipeline and the services.</summary>
    public static IHttpClientBuilder AddCore(IServiceCollection services)
    {
        // A second AddTwilioChatRooms adds its options but not a second copy of the handlers.
        if (services.Any(d => d.ServiceType == typeof(Marker)))
        {
            return services.AddHttpClient(TwilioClientFactory.HttpClientName);
        }

        services.AddSingleton<Marker>();
        services.AddOptionsWithValidateOnStart<TwilioChatRoomsOptions, TwilioChatRoomsOptionsValidator>();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TwilioClientFactory>();
        services.TryAddSingleton<TwilioRest>();
        services.TryAddSingleton<ConversationsApi>();
        services.TryAddSingleton<ChatRoomsLookups>();
        services.TryAddSingleton<IChatRoomAdmin, ChatRoomAdmin>();
        services.TryAddSingleton<IChatRoomMessenger, ChatRoomMessenger>();
        services.TryAddSingleton<IParticipantProvisioner, ParticipantProvisioner>();
        services.TryAddSingleton<ITokenIssuer, TokenIssuer>();
        services.TryAddSingleton<IPrivateConversations, PrivateConversations>();
        services.TryAddSingleton<IConversationsWebhookSettings, Webhooks.WebhookSettingsApi>();

        var builder = services.AddHttpClient(TwilioClientFactory.HttpClientName);
        builder.AddHttpMessageHandler(() => new TelemetryHandler()); // outermost: one span per call, the retries inside
        builder.AddHttpMessageHandler(provider => new SdkCallHandler(provider.GetRequiredService<TimeProvider>()));
        builder.AddHttpMessageHandler(provider =>
            new BaseAddressHandler(provider.GetRequiredService<IOptions<TwilioChatRoomsOptions>>().Value.BaseAddress));
        builder.AddResilienceHandler("twilio", static pipeline => ConfigureResilience(pipeline));
        return builder;
    }

    /// <summary>Shows that the core services are registered.</summary>
    private sealed class Marker;

    /// <summary>Retries transient failures where a retry is safe, honouring Retry-After, with a bounded backoff.</summary>
    internal static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline)
    {
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(10),
            ShouldRetryAfterHeader = true,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.GetRequestMessage()?.Method)),
        });
        pipeline.AddTimeout(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// GET and DELETE are retried on every transient failure; POST only when the server said it did not process the
    /// request (429, 503), since a create that timed out may have happened.
    /// </summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpMethod? method)
    {
        var idempotent = method == HttpMethod.Get || method == HttpMethod.Delete || method == HttpMethod.Head
            || method == HttpMethod.Put || method == HttpMethod.Options;
        if (outcome.Exception is not null)
        {
            return idempotent && outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        return outcome.Result?.StatusCode switch
        {
            HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => true,
            HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout => idempotent,
            _ => false,
        };
    }
}

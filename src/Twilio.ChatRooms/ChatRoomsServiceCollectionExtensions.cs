using Microsoft.Extensions.Configuration;
using Twilio.ChatRooms;

// In this namespace so that users need no extra using directive, as with AddHttpClient.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Twilio.ChatRooms in a service collection.</summary>
public static class ChatRoomsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IChatRoomAdmin"/>, <see cref="IParticipantProvisioner"/>, <see cref="ITokenIssuer"/> and
    /// <see cref="IPrivateConversations"/>,
    /// configured by <paramref name="configure"/> and validated when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>
    /// The builder of the HTTP client that carries every request to Twilio, to add handlers to
    /// (it already retries transient failures).
    /// </returns>
    public static IHttpClientBuilder AddTwilioChatRooms(this IServiceCollection services, Action<TwilioChatRoomsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<TwilioChatRoomsOptions>().Configure(configure);
        return ChatRoomsRegistration.AddCore(services);
    }

    /// <summary>
    /// Registers <see cref="IChatRoomAdmin"/>, <see cref="IParticipantProvisioner"/>, <see cref="ITokenIssuer"/> and
    /// <see cref="IPrivateConversations"/>,
    /// bound to a configuration section (usually <c>Twilio</c>) and validated when the host starts.
    /// </summary>
    /// <remarks>
    /// Fields left unset in the section are taken from the tutorial's variables in the application's configuration:
    /// <c>TWILIO_ACCOUNT_SID</c>, <c>TWILIO_AUTH_TOKEN</c>, <c>TWILIO_API_KEY_SID</c>, <c>TWILIO_API_KEY_SECRET</c>
    /// (and <c>TWILIO_CONVERSATIONS_SERVICE_SID</c>).
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The section to bind, such as <c>builder.Configuration.GetSection("Twilio")</c>.</param>
    /// <returns>The builder of the HTTP client that carries every request to Twilio, to add handlers to.</returns>
    public static IHttpClientBuilder AddTwilioChatRooms(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        ChatRoomsRegistration.BindConfiguration(services, section);
        return ChatRoomsRegistration.AddCore(services);
    }
}

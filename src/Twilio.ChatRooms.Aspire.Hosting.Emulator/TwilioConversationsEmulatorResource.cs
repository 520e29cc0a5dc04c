using Twilio.ChatRooms.EmulatorAdmin;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The Twilio Conversations emulator (<c>conversations-emulator</c>) as an Aspire resource: one HTTP endpoint that
/// serves Twilio's REST API (<see cref="RestAddress"/>) and the client SDKs' twilsock websocket
/// (<see cref="TwilsockUri"/>) under the path <see cref="Prefix"/>, with credentials that Aspire generates and hands to
/// both the emulator and every project that references it.
/// </summary>
public sealed class TwilioConversationsEmulatorResource : ExecutableResource
{
    /// <summary>The name of the resource's one endpoint (REST, twilsock, the inspector and the admin paths).</summary>
    public const string HttpEndpointName = "http";

    /// <summary>Where the tool mounts the emulator on its port.</summary>
    public const string Prefix = "/emulator";

    /// <summary>Creates the resource.</summary>
    /// <param name="name">The resource's name.</param>
    /// <param name="command">The program to run: <c>conversations-emulator</c>, or <c>dotnet</c> with the tool's assembly as first argument.</param>
    /// <param name="workingDirectory">The working directory of the process.</param>
    /// <param name="credentials">The four credentials, as parameters (secret ones hidden in the dashboard).</param>
    internal TwilioConversationsEmulatorResource(string name, string command, string workingDirectory, EmulatorCredentialParameters credentials)
        : base(name, command, workingDirectory)
    {
        Credentials = credentials;
        HttpEndpoint = new EndpointReference(this, HttpEndpointName);
    }

    /// <summary>The endpoint the emulator listens on.</summary>
    public EndpointReference HttpEndpoint { get; }

    /// <summary>The base address of its REST API, in place of <c>https://conversations.twilio.com</c>: <c>http://{host}:{port}/emulator</c>.</summary>
    public ReferenceExpression RestAddress => ReferenceExpression.Create(
        $"{HttpEndpoint.Property(EndpointProperty.Url)}{Prefix}");

    /// <summary>The address client SDKs take as <c>Twilsock.uri</c>: <c>ws://{host}:{port}/emulator/twilsock</c>.</summary>
    public ReferenceExpression TwilsockUri => ReferenceExpression.Create(
        $"ws://{HttpEndpoint.Property(EndpointProperty.HostAndPort)}{Prefix}/twilsock");

    /// <summary>The account SID (<c>AC</c> and 32 digits).</summary>
    public ReferenceExpression AccountSid => ReferenceExpression.Create($"AC{Credentials.AccountSidDigits}");

    /// <summary>The account's auth token (a secret parameter).</summary>
    public ParameterResource AuthToken => Credentials.AuthToken;

    /// <summary>The API key SID (<c>SK</c> and 32 digits).</summary>
    public ReferenceExpression ApiKeySid => ReferenceExpression.Create($"SK{Credentials.ApiKeySidDigits}");

    /// <summary>The API key secret (a secret parameter) that signs access tokens.</summary>
    public ParameterResource ApiKeySecret => Credentials.ApiKeySecret;

    /// <summary>Where the state is kept; null: in memory only.</summary>
    public string? DataDirectory { get; internal set; }

    internal EmulatorCredentialParameters Credentials { get; }

    /// <summary>A client of the running emulator's own API (health, reset, seed), signed with its credentials.</summary>
    internal async Task<EmulatorAdminClient> AdminClientAsync(HttpClient http, CancellationToken cancellationToken = default) =>
        new(http, (await RestAddress.GetValueAsync(cancellationToken).ConfigureAwait(false))!,
            (await AccountSid.GetValueAsync(cancellationToken).ConfigureAwait(false))!,
            (await AuthToken.GetValueAsync(cancellationToken).ConfigureAwait(false))!);
}

/// <summary>The parameters the credentials are made of: the SIDs' 32 digits, the auth token, the API key secret.</summary>
internal sealed record EmulatorCredentialParameters(
    ParameterResource AccountSidDigits, ParameterResource AuthToken, ParameterResource ApiKeySidDigits, ParameterResource ApiKeySecret);

using System.Text.Json.Serialization;

namespace WebApiHost.Endpoints;

/// <summary>The body of <c>POST /login</c>: the tutorial's username, and the account's password.</summary>
internal sealed record LoginRequest(
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("password")] string? Password = null) : Limits.ISignInRequest;

/// <summary>
/// The tutorial's answer (<c>chatrooms</c> as [name, sid] pairs, <c>token</c>) plus what the client needs.
/// </summary>
internal sealed record LoginResponse(
    [property: JsonPropertyName("chatrooms")] IReadOnlyList<string[]> Chatrooms,
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("identity")] string Identity,
    [property: JsonPropertyName("expiresAt")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("backend")] string Backend,
    [property: JsonPropertyName("chatClientOptions")] System.Text.Json.Nodes.JsonObject ChatClientOptions);

/// <summary>The answer of <c>POST /token</c>.</summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("identity")] string Identity,
    [property: JsonPropertyName("expiresAt")] DateTimeOffset ExpiresAt);

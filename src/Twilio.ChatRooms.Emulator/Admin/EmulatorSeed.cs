using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Twilio.ChatRooms.Emulator.TwilioConventions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Twilio.ChatRooms.Emulator.Admin;

/// <summary>
/// What a seed file holds (JSON or YAML, camelCase): roles, users, and conversations with their participants and messages, all
/// in the default service. Roles are named, and users and participants name them. Unknown fields are refused.
/// </summary>
internal sealed record EmulatorSeed(
    IReadOnlyList<SeedRole>? Roles,
    IReadOnlyList<SeedUser>? Users,
    IReadOnlyList<SeedConversation>? Conversations)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>
    /// Reads a seed, JSON (what starts with <c>{</c> or <c>[</c>) or YAML (the same fields; unquoted numbers and
    /// <c>true</c>/<c>false</c> read as such); 400/20001 naming where it is wrong.
    /// </summary>
    public static EmulatorSeed Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "Seed not provided: a JSON or YAML object with roles, users and conversations");
        }

        var json = text.TrimStart() is ['{' or '[', ..] ? text : YamlAsJson(text);   // JSON's own errors for what is JSON
        try
        {
            return JsonSerializer.Deserialize<EmulatorSeed>(json, Options)
                ?? throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "The seed is null: a JSON or YAML object with roles, users and conversations");
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 0 } path ? $" at {path}" : "";
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, $"The seed is not valid{where}: {FirstSentence(e.Message)}");
        }
    }

    /// <summary>The YAML document as the JSON it means, so both are read by one set of rules.</summary>
    private static string YamlAsJson(string yaml)
    {
        try
        {
            var document = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object?>(yaml);
            return document is IDictionary<object, object?>
                ? new SerializerBuilder().JsonCompatible().Build().Serialize(document)
                : throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter,
                    "The seed is not an object: JSON ({ ... }) or YAML (roles:, users:, conversations:)");
        }
        catch (YamlException e)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter,
                $"The seed is not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {(e.InnerException ?? e).Message}");
        }
    }

    // System.Text.Json's message repeats the path and the position after its first sentence.
    private static string FirstSentence(string message) => message.Split(". Path:", 2)[0].TrimEnd('.');
}

/// <summary>A role to create; <see cref="Type"/> is <c>service</c> or <c>conversation</c>.</summary>
internal sealed record SeedRole(string? Name, string? Type, IReadOnlyList<string>? Permissions);

/// <summary>A user; <see cref="Role"/> names a service role (a seeded one or a default), else the service's default.</summary>
internal sealed record SeedUser(string? Identity, string? FriendlyName, string? Role, JsonObject? Attributes);

/// <summary>A conversation, with participants and messages in order.</summary>
internal sealed record SeedConversation(
    string? UniqueName,
    string? FriendlyName,
    JsonObject? Attributes,
    IReadOnlyList<SeedParticipant>? Participants,
    IReadOnlyList<SeedMessage>? Messages);

/// <summary>A chat participant (<see cref="Identity"/>) or an SMS one (<see cref="Address"/> and <see cref="ProxyAddress"/>).</summary>
internal sealed record SeedParticipant(string? Identity, string? Address, string? ProxyAddress, string? Role);

/// <summary>A message; its author is an identity or a participant's phone number, else <c>system</c>.</summary>
internal sealed record SeedMessage(string? Author, string? Body, JsonObject? Attributes);

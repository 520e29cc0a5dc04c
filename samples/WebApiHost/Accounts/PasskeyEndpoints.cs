using System.Buffers.Text;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebApiHost.Errors;
using WebApiHost.Limits;

namespace WebApiHost.Accounts;

/// <summary>
/// Passkeys (WebAuthn) on ASP.NET Core Identity: a signed-in user adds and removes them; anybody signs in with one.
/// Each ceremony is two calls: options for <c>navigator.credentials.create()</c> / <c>get()</c>, then the credential
/// it made (its <c>toJSON()</c>). Identity keeps the challenge in between, in a short-lived cookie.
/// </summary>
internal static class PasskeyEndpoints
{
    /// <summary>A passkey's name is shown in every list of them: a label, not a document.</summary>
    public const int MaxNameLength = 100;

    public static void MapPasskeyEndpoints(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/account/passkeys").RequireAuthorization();
        mine.MapGet("", ListAsync);
        var changes = mine.MapGroup("").RequireRateLimiting(RateLimits.Writes);
        changes.MapPost("/options", CreationOptionsAsync);
        changes.MapPost("", AddAsync).ProblemsAbout("Cannot add the passkey", "credential", "{\"credential\": {...}, \"name\": \"laptop\"}");
        changes.MapDelete("/{id}", RemoveAsync).ProblemsAbout("Cannot remove the passkey", "id");

        var signIn = app.MapGroup("/login/passkey").RequireRateLimiting(RateLimits.Login);
        signIn.MapPost("/options", RequestOptionsAsync);
        signIn.MapPost("", SignInAsync).ProblemsAbout("Passkey sign-in failed", "credential", "{\"credential\": {...}}");
    }

    private static async Task<Ok<PasskeyList>> ListAsync(ClaimsPrincipal user, UserManager<IdentityUser> users)
    {
        var account = await users.GetUserAsync(user) ?? throw new InvalidOperationException("The session's account is gone.");
        var passkeys = await users.GetPasskeysAsync(account);
        return TypedResults.Ok(new PasskeyList([.. passkeys.Select(Describe)]));
    }

    private static async Task<ContentHttpResult> CreationOptionsAsync(
        ClaimsPrincipal user, UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn)
    {
        var account = await users.GetUserAsync(user) ?? throw new InvalidOperationException("The session's account is gone.");
        var name = await users.GetUserNameAsync(account) ?? user.Identity();
        var options = await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity
        {
            Id = await users.GetUserIdAsync(account),
            Name = name,
            DisplayName = name,
        });
        return TypedResults.Content(options, "application/json");
    }

    private static async Task<Results<Created<PasskeySummary>, ValidationProblem>> AddAsync(
        CredentialRequest body, ClaimsPrincipal user, UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn,
        ILoggerFactory loggers)
    {
        const string title = "Cannot add the passkey";
        if (body.Name is { Length: > MaxNameLength })
        {
            return Problems.Invalid(title, "name", $"A passkey's name is at most {MaxNameLength} characters.");
        }

        if (body.Credential is not { ValueKind: JsonValueKind.Object } credential)
        {
            return Problems.Invalid(title, "credential", "Send the new credential's toJSON() as \"credential\".");
        }

        var account = await users.GetUserAsync(user) ?? throw new InvalidOperationException("The session's account is gone.");
        PasskeyAttestationResult attestation;
        try
        {
            attestation = await signIn.PerformPasskeyAttestationAsync(credential.GetRawText());
        }
        catch (InvalidOperationException)
        {
            return Problems.Invalid(title, "credential", "No passkey registration is under way: ask for options first (POST /account/passkeys/options).");
        }

        if (!attestation.Succeeded)
        {
            return Problems.Invalid(title, "credential", attestation.Failure.Message);
        }

        if (attestation.UserEntity.Id != await users.GetUserIdAsync(account))
        {
            return Problems.Invalid(title, "credential", "The passkey was made for another account.");
        }

        var passkey = attestation.Passkey;
        var existing = await users.GetPasskeysAsync(account);
        passkey.Name = string.IsNullOrWhiteSpace(body.Name) ? $"Passkey {existing.Count + 1}" : body.Name.Trim();
        var saved = await users.AddOrUpdatePasskeyAsync(account, passkey);
        if (!saved.Succeeded)
        {
            return Problems.Invalid(title, "credential", string.Join(" ", saved.Errors.Select(e => e.Description)));
        }

        Log.PasskeyAdded(loggers.CreateLogger(typeof(PasskeyEndpoints)), user.Identity());
        var summary = Describe(passkey);
        return TypedResults.Created("/account/passkeys/" + summary.Id, summary);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        string id, ClaimsPrincipal user, UserManager<IdentityUser> users, ILoggerFactory loggers)
    {
        var account = await users.GetUserAsync(user) ?? throw new InvalidOperationException("The session's account is gone.");
        byte[] credentialId;
        try
        {
            credentialId = Base64Url.DecodeFromChars(id);
        }
        catch (FormatException)
        {
            credentialId = [];
        }

        if (credentialId.Length == 0 || await users.GetPasskeyAsync(account, credentialId) is null)
        {
            return Problems.Field(StatusCodes.Status404NotFound, "No such passkey", "id", $"This account has no passkey '{id}'.");
        }

        await users.RemovePasskeyAsync(account, credentialId);
        Log.PasskeyRemoved(loggers.CreateLogger(typeof(PasskeyEndpoints)), user.Identity());
        return TypedResults.NoContent();
    }

    /// <summary>Options for any passkey of this site (a discoverable credential names its account itself).</summary>
    private static async Task<ContentHttpResult> RequestOptionsAsync(SignInManager<IdentityUser> signIn)
        => TypedResults.Content(await signIn.MakePasskeyRequestOptionsAsync(null), "application/json");

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> SignInAsync(
        CredentialRequest body, SignInManager<IdentityUser> signIn, AccountsDbContext db, TimeProvider time, ILoggerFactory loggers)
    {
        const string title = "Passkey sign-in failed";
        if (body.Credential is not { ValueKind: JsonValueKind.Object } credential)
        {
            return Problems.Invalid(title, "credential", "Send the credential's toJSON() as \"credential\".");
        }

        SignInResult result;
        try
        {
            // A challenge is good once: Identity keeps the ceremony in a cookie for 5 minutes and would accept the same
            // assertion again meanwhile, so the challenge it answers is spent first, in the shared database.
            result = await SpendChallengeAsync(credential, db, time)
                ? await signIn.PasskeySignInAsync(credential.GetRawText())
                : SignInResult.Failed;
        }
        catch (InvalidOperationException)
        {
            result = SignInResult.Failed;   // no ceremony under way (no options asked for, or asked on another browser)
        }

        if (!result.Succeeded)
        {
            Log.SignInRefused(loggers.CreateLogger(typeof(PasskeyEndpoints)), "passkey not accepted");
            return TypedResults.Problem(title: title, detail: "The passkey was not accepted. Sign in with your password, or try again.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        return TypedResults.NoContent();   // signed in: POST /login now answers with the rooms and the token
    }

    /// <summary>
    /// Records the challenge the assertion answers (<c>response.clientDataJSON</c>'s <c>challenge</c>); false when it
    /// was answered before, or is no challenge at all. Kept until a ceremony that old has expired anyway.
    /// </summary>
    private static async Task<bool> SpendChallengeAsync(JsonElement credential, AccountsDbContext db, TimeProvider time)
    {
        string? challenge;
        try
        {
            var clientData = credential.GetProperty("response").GetProperty("clientDataJSON").GetString();
            using var parsed = JsonDocument.Parse(Base64Url.DecodeFromChars(clientData));
            challenge = parsed.RootElement.GetProperty("challenge").GetString();
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or JsonException or ArgumentNullException)
        {
            return false;   // not an assertion
        }

        if (string.IsNullOrEmpty(challenge) || challenge.Length > UsedPasskeyChallenge.MaxLength)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await db.UsedPasskeyChallenges.Where(u => u.ExpiresAtUtc < now).ExecuteDeleteAsync();
        db.UsedPasskeyChallenges.Add(new UsedPasskeyChallenge { Challenge = challenge, ExpiresAtUtc = now + ChallengeKept });
        try
        {
            await db.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return false;   // the primary key: answered before, on this host or another
        }
    }

    /// <summary>Longer than Identity's ceremony lasts (its passkey options' 5-minute timeout).</summary>
    private static readonly TimeSpan ChallengeKept = TimeSpan.FromMinutes(10);

    private static PasskeySummary Describe(UserPasskeyInfo passkey)
        => new(Base64Url.EncodeToString(passkey.CredentialId), passkey.Name ?? "Passkey", passkey.CreatedAt);

    internal sealed record CredentialRequest(
        [property: JsonPropertyName("credential")] JsonElement? Credential,
        [property: JsonPropertyName("name")] string? Name = null);

    internal sealed record PasskeySummary(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt);

    internal sealed record PasskeyList([property: JsonPropertyName("passkeys")] IReadOnlyList<PasskeySummary> Passkeys);
}

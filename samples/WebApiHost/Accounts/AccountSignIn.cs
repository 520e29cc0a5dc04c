using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Twilio.ChatRooms;
using WebApiHost.Errors;

namespace WebApiHost.Accounts;

/// <summary>
/// Creating accounts and signing in, on Identity's <see cref="UserManager{TUser}"/> and <see cref="SignInManager{TUser}"/>:
/// usernames are the library's canonical chat identities, and a refusal never tells whether the account exists.
/// </summary>
internal sealed class AccountSignIn(
    UserManager<IdentityUser> users,
    SignInManager<IdentityUser> signIn,
    IPasswordHasher<IdentityUser> hasher,
    AccountsDbContext db,
    IOptions<IdentityOptions> identityOptions,
    TimeProvider time,
    ILogger<AccountSignIn> logger)
{
    private const string WrongCredentials = "Wrong username or password";

    /// <summary>Verified against when no account has the name, so that "no such user" takes as long as a wrong password.</summary>
    private static readonly Lazy<string> UnknownUserHash = new(() =>
        new PasswordHasher<IdentityUser>().HashPassword(new IdentityUser(), Guid.NewGuid().ToString()));

    /// <summary>A new account with a password under Identity's rules; it is signed in at once.</summary>
    public async Task<(string? Identity, ValidationProblem? Problem)> CreateAsync(string? username, string? password)
    {
        const string title = "Cannot create the account";
        var identity = UsernameRules.NewUser(username);   // refused: 400 naming username
        if (string.IsNullOrEmpty(password))
        {
            return (null, Problems.Invalid(title, "password", "A password is required."));
        }

        var account = new IdentityUser(identity);
        var created = await CreateOrTakenAsync(account, password);
        if (!created.Succeeded)
        {
            // Identity's own messages, under the field they are about ("Passwords must have at least one digit").
            var errors = created.Errors
                .GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password" : "username")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
            return (null, TypedResults.ValidationProblem(errors, title: title));
        }

        Log.AccountCreated(logger, identity);
        await signIn.SignInAsync(account, isPersistent: false, authenticationMethod: "pwd");
        return (identity, null);
    }

    /// <summary>
    /// Password sign-in with Identity's lockout (<c>Identity:Lockout:*</c>), counted so that it holds under parallel
    /// guesses and across hosts on one database: a guess first takes one of the account's failure slots in a single
    /// conditional UPDATE, and only then is its password checked. A burst therefore checks at most
    /// <c>MaxFailedAccessAttempts</c> passwords; the others are answered 429 unchecked. The right password gives the
    /// slots back; a wrong one that finds every slot taken once it is checked locks the account.
    /// </summary>
    public async Task<(string? Identity, ProblemHttpResult? Problem)> SignInWithPasswordAsync(string username, string? password)
    {
        IdentityUser? account = null;
        try
        {
            var normalized = users.NormalizeName(ChatIdentity.Canonicalize(username, nameof(username)));
            account = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedUserName == normalized);
        }
        catch (ArgumentException)
        {
            // Not a possible username: no such account, answered like a wrong password.
        }

        if (account is null)
        {
            TakesAsLongAsAPassword(password);
            return (null, Refused("no such account"));
        }

        var lockout = identityOptions.Value.Lockout;
        if (account.LockoutEnabled)
        {
            var seenLockoutEnd = account.LockoutEnd;
            // Equality on LockoutEnd, not "ended before now": SQLite cannot compare dates in SQL, and a lock set since
            // the read changes it, so a guess that read an old value gets no slot.
            var slot = seenLockoutEnd > time.GetUtcNow() ? 0 : await db.Users
                .Where(u => u.Id == account.Id && u.AccessFailedCount < lockout.MaxFailedAccessAttempts && u.LockoutEnd == seenLockoutEnd)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount + 1));
            if (slot == 0)
            {
                return (null, Locked());
            }
        }

        var right = account.PasswordHash is { } hash
            ? hasher.VerifyHashedPassword(account, hash, password ?? "") != PasswordVerificationResult.Failed
            : TakesAsLongAsAPassword(password);
        if (!right)
        {
            // Only the guess that finds every slot taken locks; the lock empties the slots for after it ends.
            var locked = account.LockoutEnabled && await db.Users
                .Where(u => u.Id == account.Id && u.AccessFailedCount >= lockout.MaxFailedAccessAttempts)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(u => u.LockoutEnd, time.GetUtcNow() + lockout.DefaultLockoutTimeSpan)
                    .SetProperty(u => u.AccessFailedCount, 0)) > 0;
            return (null, locked ? Locked() : Refused("wrong password"));
        }

        if (account.LockoutEnabled)
        {
            await db.Users.Where(u => u.Id == account.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, 0));
        }

        if (!await signIn.CanSignInAsync(account))
        {
            return (null, Refused("not allowed"));
        }

        await signIn.SignInAsync(account, isPersistent: false, authenticationMethod: "pwd");
        return (account.UserName!, null);
    }

    /// <summary>
    /// Identity's CreateAsync, where losing a race for the name is "taken", as it would be coming second: Identity
    /// checks the name first, but two requests (on one host or two) can both pass that check, and then the database's
    /// unique index refuses the second insert.
    /// </summary>
    private async Task<IdentityResult> CreateOrTakenAsync(IdentityUser account, string? password)
    {
        try
        {
            return password is null ? await users.CreateAsync(account) : await users.CreateAsync(account, password);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();   // the refused insert stays out of anything this request saves later
            if (!await NameTakenAsync(account))
            {
                throw;
            }

            return IdentityResult.Failed(users.ErrorDescriber.DuplicateUserName(account.UserName!));
        }
    }

    private async Task<bool> NameTakenAsync(IdentityUser account)
    {
        var normalized = users.NormalizeName(account.UserName);
        return await db.Users.AsNoTracking().AnyAsync(u => u.NormalizedUserName == normalized && u.Id != account.Id);
    }

    /// <summary>A check that fails, as slow as a real one: "no such account" or "no password" tells nothing by its time.</summary>
    private bool TakesAsLongAsAPassword(string? password)
    {
        hasher.VerifyHashedPassword(new IdentityUser(), UnknownUserHash.Value, password ?? "");
        return false;
    }

    private ProblemHttpResult Locked()
    {
        Log.SignInRefused(logger, "locked out");
        return TypedResults.Problem(title: "Too many failed sign-ins",
            detail: "This account is locked for a while after repeated wrong passwords. Try again later, or sign in with a passkey.",
            statusCode: StatusCodes.Status429TooManyRequests);
    }

    /// <summary>
    /// The username-only mode: the name is enough; the account is made on first use, without a password. A name the
    /// library refuses throws <see cref="ArgumentException"/> (400 naming username).
    /// </summary>
    public async Task<string> SignInByNameAsync(string username)
    {
        var identity = ChatIdentity.Canonicalize(username, nameof(username));

        var account = await users.FindByNameAsync(identity);
        if (account is null)
        {
            account = new IdentityUser(UsernameRules.NewUser(identity));
            if (!(await CreateOrTakenAsync(account, password: null)).Succeeded)
            {
                // Made by a concurrent sign-in of the same name a moment ago: that account is the one.
                account = await users.FindByNameAsync(identity) ?? throw new InvalidOperationException("The account could not be created.");
            }
        }

        await signIn.SignInAsync(account, isPersistent: false, authenticationMethod: "username-only");
        return identity;
    }

    private ProblemHttpResult Refused(string reason)
    {
        Log.SignInRefused(logger, reason);
        return TypedResults.Problem(title: WrongCredentials,
            detail: "The username or the password is wrong.", statusCode: StatusCodes.Status401Unauthorized);
    }
}

using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebApiHost.Backend;

namespace WebApiHost.Accounts;

/// <summary>
/// Accounts on ASP.NET Core Identity with its EF Core store; the session is an HttpOnly, SameSite cookie whose ticket
/// lives in the same database, and so do the Data Protection keys that protect it.
/// </summary>
internal static class AccountsExtensions
{
    /// <summary>Cookie name of the sign-in session.</summary>
    public const string SessionCookie = "chat.session";

    /// <summary>
    /// <c>ConnectionStrings:Accounts</c>: an Npgsql connection string (<c>Host=...</c>) puts the accounts on PostgreSQL,
    /// shared by every host that names it; anything else is a SQLite connection string; none means
    /// <c>App_Data/accounts.db</c> beside the host.
    /// </summary>
    public static void AddAccounts(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Accounts");
        var postgres = IsPostgres(connectionString);
        var ownFolder = connectionString is null;
        if (postgres)
        {
            builder.Services.AddDbContext<AccountsDbContext, PostgresAccountsDbContext>(o => o.UseNpgsql(connectionString));
        }
        else
        {
            connectionString ??= "Data Source=" + Path.Combine(builder.Environment.ContentRootPath, "App_Data", "accounts.db");
            builder.Services.AddDbContext<AccountsDbContext, SqliteAccountsDbContext>(o => o.UseSqlite(connectionString));
        }

        builder.Services.AddSingleton(new AccountsDatabase(connectionString!, postgres, ownFolder));
        // GET /health fails (503, naming it) while the accounts database cannot take a write.
        builder.Services.AddHealthChecks().AddCheck<AccountsHealthCheck>(AccountsHealthCheck.Name, timeout: TimeSpan.FromSeconds(5));

        builder.Services.AddIdentity<IdentityUser, IdentityRole>(ConfigureIdentity).AddEntityFrameworkStores<AccountsDbContext>()
            .AddPasswordValidator<CommonPasswords.CommonPasswordValidator>();
        builder.Services.AddScoped<AccountSignIn>();
        builder.Services.AddScoped<WebApiHost.Endpoints.ChatSessionStarter>();
        // Identity:Password:*, Identity:Lockout:* and the rest of IdentityOptions can be set in configuration.
        builder.Services.Configure<IdentityOptions>(builder.Configuration.GetSection("Identity"));

        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<DatabaseSessionStore>();
        // Every sign-in starts a new session key (NewSessionCookieHandler): no planted cookie becomes somebody's session.
        builder.Services.Configure<AuthenticationOptions>(options =>
            options.SchemeMap[IdentityConstants.ApplicationScheme].HandlerType = typeof(NewSessionCookieHandler));
        builder.Services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<DatabaseSessionStore, IOptions<ChatOptions>>((options, store, chat) =>
            {
                options.Cookie.Name = SessionCookie;
                options.Cookie.HttpOnly = true;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;   // Secure whenever the page is HTTPS
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.ExpireTimeSpan = chat.Value.SessionLifetime;
                options.SlidingExpiration = true;
                options.SessionStore = store;
                // An API answers 401/403 problem+json; it does not redirect to a login page.
                options.Events.OnRedirectToLogin = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized,
                    "Sign in first", "This needs a signed-in session: sign in (POST /login) and send its cookie.");
                options.Events.OnRedirectToAccessDenied = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden,
                    "Not allowed", "The signed-in user may not do this.");
            });
        // The short-lived cookie in which Identity keeps a passkey ceremony's challenge between its two requests.
        builder.Services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, options =>
        {
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        AddDataProtection(builder);
    }

    /// <summary>The host's Identity settings; the design-time factories use them too, so migrations match the model.</summary>
    public static void ConfigureIdentity(IdentityOptions options)
    {
        options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;   // the passkeys table
        // The library's identity rules decide what a username may be (ChatIdentity.Canonicalize), not Identity's
        // ASCII allow-list; an empty list turns that check off.
        options.User.AllowedUserNameCharacters = "";
        // OWASP ASVS 2.1: at least 8 characters (the form recommends 12), any characters, no composition rules; the
        // common-passwords list (CommonPasswordValidator) refuses what length alone lets through.
        options.Password.RequiredLength = 8;
        options.Password.RequireDigit = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireNonAlphanumeric = false;
        options.Password.RequiredUniqueChars = 1;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
    }

    /// <summary>
    /// Creates the accounts database, or brings it to the latest migration, before the host serves anybody. False when
    /// it cannot (a full disk, a path it cannot write, a server that does not answer or refuses the host): said in one
    /// line naming the database, and the host stops with 1 instead of dying with a stack trace.
    /// </summary>
    public static async Task<bool> MigrateAccountsAsync(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<AccountsDatabase>();
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
            database.MakeOwnerOnly();   // SQLite: 0600 files (side files too), a 0700 folder

            await db.Database.MigrateAsync(app.Lifetime.ApplicationStopping);
            if (database.IsSqlite)
            {
                // EF Core turns WAL on only for a database it creates, and MakeOwnerOnly created the (empty) file.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = 'wal';", app.Lifetime.ApplicationStopping);
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException || HasDbException(e))
        {
            Log.AccountsDatabaseRefused(app.Logger, $"the accounts database ({database.Name}) cannot be used: {database.Say(e)}");
            await app.DisposeAsync();   // writes the log line out
            return false;
        }
    }

    /// <summary>Says at start, as a warning, that the username-only sign-in is on.</summary>
    public static void WarnIfUsernameOnly(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ChatOptions>>().Value.SignIn == SignInMode.UsernameOnly)
        {
            app.Lifetime.ApplicationStarted.Register(() => Log.UsernameOnlySignIn(app.Logger));
        }
    }

    private static bool HasDbException(Exception? e) => e is not null && (e is System.Data.Common.DbException || HasDbException(e.InnerException));

    private static bool IsPostgres(string? connectionString) =>
        connectionString is not null && connectionString.Split(';').Any(part =>
            part.TrimStart().StartsWith("Host=", StringComparison.OrdinalIgnoreCase)
            || part.TrimStart().StartsWith("Server=", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The keys live in the accounts database, under one application name, so every host on that database reads the
    /// cookies every other one wrote. At rest they are encrypted with a certificate when
    /// <c>DataProtection:Certificate:Path</c> (a .pfx, <c>:Password</c> if it has one) is configured, which is how the
    /// framework answers its "No XML encryptor configured" warning on Linux.
    /// </summary>
    private static void AddDataProtection(WebApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName("Twilio.ChatRooms.WebApiHost")
            .PersistKeysToDbContext<AccountsDbContext>();
        var certificatePath = builder.Configuration["DataProtection:Certificate:Path"];
        if (!string.IsNullOrWhiteSpace(certificatePath))
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(
                Path.GetFullPath(certificatePath, builder.Environment.ContentRootPath), builder.Configuration["DataProtection:Certificate:Password"]);
            dataProtection.ProtectKeysWithCertificate(certificate);
        }
    }

    private static Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}

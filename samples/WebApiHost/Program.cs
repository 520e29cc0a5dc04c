// The chat's web host: accounts (password or passkey) on ASP.NET Core Identity, the tutorial's POST /login done
// carefully, rooms to join and leave, a live room list and private conversations; on Twilio or on the in-process emulator.
using WebApiHost.Accounts;
using WebApiHost.Backend;
using WebApiHost.Endpoints;
using WebApiHost.Errors;
using WebApiHost.Headers;
using WebApiHost.Limits;
using WebApiHost.Telemetry;
using WebApiHost.Webhooks;

var builder = WebApplication.CreateBuilder(args);

builder.AddSecurityHeaders();           // CSP (no framing), nosniff, no referrer: on every answer, first thing
builder.AddDotEnvFile();                // the tutorial's .env beside the host, if there is one
builder.AddChatBackend();               // Twilio when credentials are configured, else the emulator, mounted here
builder.AddChatOptions();               // the Chat section: sign-in mode, join every room at login?, room list refresh
builder.AddAccounts();                  // Identity + EF Core (SQLite, or PostgreSQL), the session cookie, Data Protection keys
builder.AddChatAntiforgery();           // X-XSRF-TOKEN on every state-changing call
builder.AddChatProblems();              // bound request bodies; one exception handler for every endpoint
builder.AddChatRateLimits();            // Login:PermitsPerMinute, Chat:RateLimits:* (writes per user, open room streams)
builder.AddChatWebhooks();              // the room list pushed by webhooks (else polled), Chat:Moderation:BlockedWords
builder.AddChatTelemetry();             // OpenTelemetry over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, else nothing

var app = builder.Build();
if (await app.RefusesItsSettingsAsync())  // a setting out of range, a partial Emulator:Credentials: one line, exit 1
{
    return 1;
}

if (!await app.MigrateAccountsAsync())  // the accounts database exists and is up to date before anybody signs in
{
    return 1;                           // ...or one line naming it, exit 1
}

app.WarnIfUsernameOnly();               // Chat:SignIn=UsernameOnly: a warning at start, every time

app.UseExceptionHandler();              // problem+json (ChatExceptionHandler), never a stack trace
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();                   // the React client's build, when present
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();                   // after authentication: limits count the signed-in user

app.MapChatBackend();                   // /emulator/v1/... and /emulator/twilsock when the emulator is the back end
app.MapChatWebhooks();                  // POST /twilio/conversations: Twilio's signed webhooks, no cookie, no antiforgery
var chat = app.MapGroup("").RequireAntiforgery().ValidateRequests();
chat.MapAntiforgeryEndpoint();          // GET /antiforgery
chat.MapAccountEndpoints();             // POST /account, POST /logout
chat.MapPasskeyEndpoints();             // /account/passkeys (list, options, add, DELETE), /login/passkey (options, sign in)
chat.MapLoginEndpoints();               // POST /login, POST /token
chat.MapRoomEndpoints();                // GET /rooms, GET /rooms/events, POST /rooms/join, POST /rooms/leave
chat.MapPrivateConversationEndpoints(); // POST /private-conversations
chat.MapHealthEndpoints();              // GET /health

return await app.RunChatAsync();        // 1 when the emulator's data directory cannot be used

/// <summary>The host's entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;

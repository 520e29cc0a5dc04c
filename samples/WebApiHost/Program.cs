// The chat's web host: the tutorial's POST /login done carefully, plus rooms to join and leave, a live room list and
// private conversations; on Twilio or on the in-process emulator.
using WebApiHost.Auth;
using WebApiHost.Backend;
using WebApiHost.Endpoints;

var builder = WebApplication.CreateBuilder(args);

builder.AddDotEnvFile();                // the tutorial's .env beside the host, if there is one
builder.AddChatBackend();               // Twilio when credentials are configured, else the emulator, mounted here
builder.AddChatOptions();               // the Chat section: join every room at login?, room list refresh
builder.AddChatTokenAuthentication();   // Bearer <the access token /login issued>
builder.Services.AddProblemDetails();
builder.AddLoginRateLimiting();

var app = builder.Build();

app.UseExceptionHandler();              // problem+json, never a stack trace
app.UseStatusCodePages();
app.UseRateLimiter();
app.UseDefaultFiles();
app.UseStaticFiles();                   // the React client's build, when present
app.UseAuthentication();
app.UseAuthorization();

app.MapChatBackend();                   // /emulator/v1/... and /emulator/hub when the emulator is the back end
app.MapLoginEndpoints();                // POST /login, POST /token
app.MapRoomEndpoints();                 // GET /rooms, GET /rooms/events, POST /rooms/join, POST /rooms/leave
app.MapPrivateConversationEndpoints();  // POST /private-conversations
app.MapHealthEndpoints();               // GET /health

return await app.RunChatAsync();   // 1 when the emulator's data directory cannot be used

/// <summary>The host's entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;

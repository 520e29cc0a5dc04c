// The chat's web host: the tutorial's POST /login, done carefully, on Twilio or on the in-process emulator.
using WebApiHost.Backend;
using WebApiHost.Endpoints;

var builder = WebApplication.CreateBuilder(args);

builder.AddDotEnvFile();          // the tutorial's .env beside the host, if there is one
builder.AddChatBackend();         // Twilio when credentials are configured, else the emulator, mounted here
builder.Services.AddProblemDetails();
builder.AddLoginRateLimiting();

var app = builder.Build();

app.UseExceptionHandler();        // problem+json, never a stack trace
app.UseStatusCodePages();
app.UseRateLimiter();
app.UseDefaultFiles();
app.UseStaticFiles();             // the React client's build, when present

app.MapChatBackend();             // /emulator/v1/... when the emulator is the back end
app.MapLoginEndpoints();          // POST /login, POST /token
app.MapHealthEndpoints();         // GET /health

await app.RunAsync();

/// <summary>The host's entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;

using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Hosting;

/// <summary>
/// <c>GET {prefix}/health</c>, the emulator's own: 200 <c>{"status":"healthy"}</c> while writes are made durable, else
/// 503/20503 saying why (the same test as the <c>conversations-emulator-store</c> health check).
/// </summary>
internal sealed class HealthEndpoint(EmulatorStore store) : IRestResource
{
    public void Map(RestRoutes routes) => routes.MapUnscoped("GET", "health", _ =>
        store.Health() is { } failure ? throw TwilioErrors.StoreFailing(failure) : RestResult.Ok(new JsonObject { ["status"] = "healthy" }));
}

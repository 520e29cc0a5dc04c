using Twilio.ChatRooms.Emulator.Http;

namespace Twilio.ChatRooms.Emulator.Resources.Services;

/// <summary><c>/v1/Services/{IS}</c>, <c>/v1/Configuration</c> and <c>/v1/Services/{IS}/Configuration</c>: fetch only.</summary>
internal sealed class ServiceEndpoints(ServiceRules services) : IRestResource
{
    public void Map(RestRoutes routes)
    {
        routes.Map("GET", "", r => RestResult.Ok(ServiceJson.Service(r.AccountSid, services.Get(r.ServiceSid), r.Urls)));
        routes.Map("GET", "Configuration", r => RestResult.Ok(r.Scoped
            ? ServiceJson.ServiceConfiguration(services.Get(r.ServiceSid), r.Urls)
            : ServiceJson.Configuration(r.AccountSid, r.ServiceSid, r.Urls)));
    }
}

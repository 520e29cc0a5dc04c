using System.Text.Json.Nodes;
using Twilio.ChatRooms.Emulator.Http;
using Twilio.ChatRooms.Emulator.State;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Resources.Participants;

/// <summary><c>/Conversations/{conversation}/Participants[/{MB or identity}]</c>: list, create, fetch, update, delete.</summary>
internal sealed class ParticipantEndpoints(ParticipantRules participants) : IRestResource
{
    private const string List = "Conversations/{conversation}/Participants";
    private const string One = List + "/{participant}";

    public void Map(RestRoutes routes)
    {
        routes.Map("GET", List, r => RestResult.Ok(Paging.Page(participants.List(r.ServiceSid, r["conversation"]), p => p.Seq, false, r.Query,
            r.Urls.Scoped($"/Conversations/{Uri.EscapeDataString(r["conversation"])}/Participants"), "participants", p => Json(r, p))));
        routes.Map("POST", List, r => RestResult.Created(Json(r, participants.Create(Actor.Account, r.ServiceSid, r["conversation"], r.Field("Identity"),
            r.Optional("RoleSid"), r.Field("Attributes"), r.Field("MessagingBinding.Address"), r.Field("MessagingBinding.ProxyAddress")))),
            RateLimit.Conversation);
        routes.Map("GET", One, r => RestResult.Ok(Json(r, participants.Fetch(r.ServiceSid, r["conversation"], r["participant"]))));
        routes.Map("POST", One, r => RestResult.Ok(Json(r, participants.Update(Actor.Account, r.ServiceSid, r["conversation"], r["participant"],
            r.Optional("RoleSid"), r.Optional("Attributes"),
            InputChecks.Integer(r.Optional("LastReadMessageIndex"), TwilioErrors.InvalidLastReadMessageIndex, "LastReadMessageIndex")))),
            RateLimit.Conversation);
        routes.Map("DELETE", One, r => RestResult.Deleted(() => participants.Delete(Actor.Account, r.ServiceSid, r["conversation"], r["participant"])),
            RateLimit.Conversation);
    }

    private static JsonObject Json(RestRequest r, ParticipantRecord participant) => ParticipantJson.Participant(r.AccountSid, participant, r.Urls);
}

using Twilio.ChatRooms.Http;

namespace Twilio.ChatRooms;

/// <summary>Creating users and adding them to conversations, idempotently: what provisioning, joining and private conversations share.</summary>
internal static class ChatUsers
{
    /// <summary>Creates the user with the role; returns whether it is new (false when it existed: 409, code 50201).</summary>
    public static async Task<bool> CreateAsync(TwilioRest rest, string serviceSid, string roleSid, string identity, CancellationToken cancellationToken)
    {
        try
        {
            await rest.SendAsync(
                TwilioRest.Post,
                $"/v1/Services/{serviceSid}/Users",
                [new("Identity", identity), new("RoleSid", roleSid)],
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChatRoomsException e) when (e.Status == 409 && e.TwilioCode == ChatRoomsErrors.UserExists)
        {
            return false;
        }
    }

    /// <summary>Adds the participant; true when it is (or already was) a member, false when the conversation is gone.</summary>
    public static async Task<bool> AddParticipantAsync(
        TwilioRest rest,
        string serviceSid,
        string conversationSid,
        string identity,
        CancellationToken cancellationToken)
    {
        try
        {
            await rest.SendAsync(
                TwilioRest.Post,
                ChatRoomAdmin.ParticipantsPath(serviceSid, conversationSid),
                [new("Identity", identity)],
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChatRoomsException e) when (e.Status == 409
            && e.TwilioCode is ChatRoomsErrors.ParticipantExists or ChatRoomsErrors.GroupParticipantExists)
        {
            return true;
        }
        catch (ChatRoomsException e) when (e.Kind == ChatRoomsErrorKind.NotFound)
        {
            return false;
        }
    }
}

namespace Twilio.ChatRooms;
internal sealed class ChatRoomsLookups;
internal sealed class ChatRoomAdmin : IChatRoomAdmin
{
    public IAsyncEnumerable<ChatRoom> ListRoomsAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<ChatRoom> GetRoomAsync(string name, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<ChatRoom> CreateRoomAsync(string name, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task DeleteRoomAsync(string name, CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
internal sealed class ParticipantProvisioner : IParticipantProvisioner
{
    public Task<IReadOnlyList<ChatRoom>> ProvisionAsync(string identity, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<ParticipantRoleSetup> EnsureParticipantRoleAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
internal sealed class TokenIssuer : ITokenIssuer
{
    public Task<ChatAccessToken> IssueAsync(string identity, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public Task<ChatAccessToken> RefreshAsync(string currentToken, CancellationToken cancellationToken = default) => throw new NotImplementedException();
}

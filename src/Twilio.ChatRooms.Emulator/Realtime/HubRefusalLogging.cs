using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace Twilio.ChatRooms.Emulator.Realtime;

/// <summary>
/// Logs each refused hub call (a <see cref="HubException"/>: not a member, not allowed, invalid input) as one line at
/// Information, and anything else that fails at Error with its exception. SignalR's own dispatcher would log every
/// refusal at Error with a stack trace, letting any client flood the error log; the emulator silences that category
/// (<see cref="DispatcherCategory"/>) since this filter says everything it said.
/// </summary>
internal sealed class HubRefusalLogging(ILogger<ConversationsHub> logger) : IHubFilter
{
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext).ConfigureAwait(false);
        }
        catch (HubException e)
        {
            Log.HubCallRefused(logger, invocationContext.HubMethodName, invocationContext.Context.UserIdentifier ?? "(anonymous)", e.Message);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.HubCallFailed(logger, invocationContext.HubMethodName, invocationContext.Context.UserIdentifier ?? "(anonymous)", e);
            throw;
        }
    }
}

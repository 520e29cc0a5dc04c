using System.Text;
using Microsoft.Extensions.Options;

namespace Twilio.ChatRooms;

/// <summary>Checks <see cref="TwilioChatRoomsOptions"/> and names every bad field in one message.</summary>
internal sealed class TwilioChatRoomsOptionsValidator : IValidateOptions<TwilioChatRoomsOptions>
{
    /// <summary>Twilio's longest access-token lifetime.</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromHours(24);

    public ValidateOptionsResult Validate(string? name, TwilioChatRoomsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Sids.IsValid(options.AccountSid, "AC"))
        {
            failures.Add("AccountSid must be 'AC' followed by 32 hex digits (TWILIO_ACCOUNT_SID).");
        }

        if (!Sids.IsValid(options.ApiKeySid, "SK"))
        {
            failures.Add("ApiKeySid must be 'SK' followed by 32 hex digits (TWILIO_API_KEY_SID).");
        }

        if (string.IsNullOrEmpty(options.ApiKeySecret) || Encoding.UTF8.GetByteCount(options.ApiKeySecret) < 32)
        {
            failures.Add("ApiKeySecret must be at least 32 bytes long (TWILIO_API_KEY_SECRET).");
        }

        if (options.PrivateConversationKey is not null && Encoding.UTF8.GetByteCount(options.PrivateConversationKey) < 32)
        {
            failures.Add("PrivateConversationKey, when set, must be at least 32 bytes long.");
        }

        if (!string.IsNullOrEmpty(options.ServiceSid) && !Sids.IsValid(options.ServiceSid, "IS"))
        {
            failures.Add("ServiceSid, when set, must be 'IS' followed by 32 hex digits.");
        }

        if (options.TokenLifetime <= TimeSpan.Zero || options.TokenLifetime > MaxTokenLifetime)
        {
            failures.Add(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"TokenLifetime must be more than 0 and at most 24 hours, Twilio's maximum for an access token (it is {options.TokenLifetime})."));
        }

        if (options.ProvisioningConcurrency is < 1 or > 64)
        {
            failures.Add("ProvisioningConcurrency must be between 1 and 64.");
        }

        if (options.BaseAddress is { } address
            && (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add("BaseAddress, when set, must be an absolute http or https address.");
        }

        if (string.IsNullOrWhiteSpace(options.ParticipantRoleName))
        {
            failures.Add("ParticipantRoleName must not be empty.");
        }

        return failures.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Twilio.ChatRooms options are not valid: " + string.Join(" ", failures));
    }
}

/// <summary>Twilio SID shapes.</summary>
internal static class Sids
{
    public static bool IsValid(string? sid, string prefix)
        => sid is { Length: 34 } && sid.StartsWith(prefix, StringComparison.Ordinal) && sid.AsSpan(2).ContainsOnlyHex();

    private static bool ContainsOnlyHex(this ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

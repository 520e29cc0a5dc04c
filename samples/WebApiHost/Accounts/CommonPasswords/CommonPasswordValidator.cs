using System.Collections.Frozen;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace WebApiHost.Accounts.CommonPasswords;

/// <summary>
/// Refuses a password that is on the list of common passwords shipped with the host (<c>common-passwords.txt</c>, its
/// source in the README beside it), as OWASP ASVS 2.1.7 asks; the length is Identity's own check
/// (<see cref="AccountsExtensions.ConfigureIdentity"/>) and no composition rule applies.
/// </summary>
internal sealed class CommonPasswordValidator : IPasswordValidator<IdentityUser>
{
    public const string Code = "PasswordCommon";

    private static readonly Lazy<FrozenSet<string>> Common = new(Load);

    public Task<IdentityResult> ValidateAsync(UserManager<IdentityUser> manager, IdentityUser user, string? password)
        => Task.FromResult(password is not null && IsCommon(password)
            ? IdentityResult.Failed(new IdentityError
            {
                Code = Code,
                Description = "This password is on a list of common passwords that attackers try first. Choose another: a few unrelated words make a strong one.",
            })
            : IdentityResult.Success);

    /// <summary>In lower case, as typed, with letter-for-symbol swaps undone, and without the digits and symbols that end it.</summary>
    public static bool IsCommon(string password)
    {
        var lower = password.ToLowerInvariant();
        var unswapped = Unswap(lower);
        return new[] { lower, unswapped, lower.TrimEnd(NotALetter), unswapped.TrimEnd(NotALetter) }
            .Any(candidate => candidate.Length > 0 && Common.Value.Contains(candidate));
    }

    private static readonly char[] NotALetter = [.. "0123456789!@#$%^&*()-_=+[]{};:'\",.<>/?\\|`~ "];

    private static string Unswap(string password)
    {
        var text = new StringBuilder(password.Length);
        foreach (var c in password)
        {
            text.Append(c switch { '@' or '4' => 'a', '0' => 'o', '1' or '!' => 'i', '3' => 'e', '$' or '5' => 's', '7' => 't', _ => c });
        }

        return text.ToString();
    }

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("WebApiHost.common-passwords.txt")
            ?? throw new InvalidOperationException("The common passwords list is not embedded in the host.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var words = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                words.Add(line);
            }
        }

        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}

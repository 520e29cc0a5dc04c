using System.CommandLine;
using System.CommandLine.Parsing;

namespace AdminConsole;

/// <summary>
/// The recursive <c>--emulator [URL]</c> option: use the emulator at an address (the web host's by default) with the
/// credentials it generated, instead of Twilio.
/// </summary>
internal static class EmulatorOption
{
    /// <summary>The option's name on the command line.</summary>
    public const string Name = "--emulator";

    /// <summary>A new <c>--emulator</c> option, valid on every command.</summary>
    public static Option<Uri?> Create() => new(Name)
    {
        Description = $"Use the emulator at this address (default {EmulatorDefaults.Address}) with the credentials it generated.",
        HelpName = "URL",
        Arity = ArgumentArity.ZeroOrOne,
        Recursive = true,
        CustomParser = ParseAddress,
    };

    /// <summary>The emulator address the command line asks for, or null for Twilio.</summary>
    public static Uri? Address(ParseResult parseResult, Option<Uri?> option) =>
        parseResult.GetResult(option) is null ? null : parseResult.GetValue(option) ?? new Uri(EmulatorDefaults.Address);

    /// <summary>
    /// Gives a bare <c>--emulator</c> the default address, so that its address is optional wherever the option
    /// stands: <c>chatrooms --emulator create general</c> and <c>chatrooms create --emulator general</c> both mean
    /// the default emulator and the room "general".
    /// </summary>
    public static string[] WithDefaultAddress(string[] args)
    {
        var result = new List<string>(args.Length + 1);
        for (var i = 0; i < args.Length; i++)
        {
            result.Add(args[i]);
            if (args[i] == Name && (i + 1 == args.Length || !IsHttpAddress(args[i + 1])))
            {
                result.Add(EmulatorDefaults.Address);
            }
        }

        return [.. result];
    }

    private static bool IsHttpAddress(string text) =>
        text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads <c>--emulator</c>'s address: an absolute http or https URL.</summary>
    private static Uri? ParseAddress(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? EmulatorDefaults.Address : result.Tokens[0].Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        result.AddError($"--emulator needs an http or https address, not '{text}'.");
        return null;
    }
}

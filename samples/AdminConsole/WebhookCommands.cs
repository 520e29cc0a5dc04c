using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Twilio.ChatRooms;

namespace AdminConsole;

/// <summary><c>chatrooms webhooks show | set | clear</c>: the conversation service's webhook configuration.</summary>
internal static class WebhookCommands
{
    /// <summary>The <c>webhooks</c> command with its three subcommands.</summary>
    /// <param name="run">Runs each command on the library's host.</param>
    /// <param name="stdout">Where the configuration is printed.</param>
    /// <returns>The command.</returns>
    public static Command Create(CommandRunner run, TextWriter stdout)
    {
        var webhooksShow = new Command("show", "Show where the conversation service sends its webhooks, and which.");
        webhooksShow.SetAction((parseResult, ct) => run.RunAsync(parseResult, null, async (services, token) =>
            await PrintAsync(await services.GetRequiredService<IConversationsWebhookSettings>().GetAsync(token).ConfigureAwait(false))
                .ConfigureAwait(false), ct));
        var post = new Option<Uri?>("--post") { Description = "Where post-event webhooks go (after a change).", HelpName = "URL", CustomParser = ParseUrl };
        var pre = new Option<Uri?>("--pre")
        {
            Description = "Where pre-event webhooks go (before a change, which they may refuse or change).",
            HelpName = "URL",
            CustomParser = ParseUrl,
        };
        var filters = new Option<string[]>("--filter")
        {
            Description = "An event to send, such as onMessageAdded or onMessageAdd; repeat it for more. Only these are sent.",
            HelpName = "EVENT",
            AllowMultipleArgumentsPerToken = true,
        };
        var method = new Option<string>("--method") { Description = "POST (the default) or GET.", DefaultValueFactory = _ => "POST" };
        method.AcceptOnlyFromAmong("POST", "GET");
        var webhooksSet = new Command("set", "Set where the conversation service sends webhooks; what is not given is cleared.") { post, pre, filters, method };
        webhooksSet.SetAction((parseResult, ct) => run.RunAsync(parseResult, null, async (services, token) =>
        {
            var settings = new ConversationsWebhookSettings(parseResult.GetValue(post), parseResult.GetValue(pre),
                parseResult.GetValue(filters) ?? [], parseResult.GetValue(method) ?? "POST");
            await PrintAsync(await services.GetRequiredService<IConversationsWebhookSettings>().SetAsync(settings, token).ConfigureAwait(false))
                .ConfigureAwait(false);
        }, ct));
        var webhooksClear = new Command("clear", "Stop the conversation service's webhooks: no URL, no events.");
        webhooksClear.SetAction((parseResult, ct) => run.RunAsync(parseResult, null, async (services, token) =>
            await PrintAsync(await services.GetRequiredService<IConversationsWebhookSettings>()
                .SetAsync(new ConversationsWebhookSettings(null, null, []), token).ConfigureAwait(false)).ConfigureAwait(false), ct));
        return new Command("webhooks", "Show, set or clear the conversation service's webhook configuration.") { webhooksShow, webhooksSet, webhooksClear };

        static Uri? ParseUrl(System.CommandLine.Parsing.ArgumentResult result)
        {
            var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return uri;
            }

            result.AddError($"{result.Parent?.ToString() ?? "A webhook URL"} needs an absolute http or https URL, not '{text}'.");
            return null;
        }

        async Task PrintAsync(ConversationsWebhookSettings settings)
        {
            await stdout.WriteLineAsync($"Post-event: {settings.PostWebhookUrl?.AbsoluteUri ?? "none"}").ConfigureAwait(false);
            await stdout.WriteLineAsync($"Pre-event:  {settings.PreWebhookUrl?.AbsoluteUri ?? "none"}").ConfigureAwait(false);
            await stdout.WriteLineAsync($"Method:     {settings.Method}").ConfigureAwait(false);
            await stdout.WriteLineAsync($"Events:     {(settings.Filters.Count == 0 ? "none" : string.Join(" ", settings.Filters))}").ConfigureAwait(false);
        }
    }
}

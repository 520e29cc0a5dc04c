using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Serialization;

namespace WebApiHost.Errors;

/// <summary>How every endpoint reads its body and answers a failure: registered once, checked by one filter.</summary>
internal static class ChatProblemsExtensions
{
    public static void AddChatProblems(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ChatExceptionHandler>();
        // A body that cannot be bound throws (to ChatExceptionHandler, which names it) instead of an empty 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
    }

    /// <summary>
    /// Checks the DataAnnotations (<c>[Required]</c>) of every request record the endpoint was given, before it runs:
    /// 400 naming the field by its JSON name. (The framework's own <c>AddValidation</c> needs its source generator to
    /// see the records, which it did not for these.)
    /// </summary>
    public static TBuilder ValidateRequests<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.AddEndpointFilter(async (context, next) =>
        {
            var errors = new Dictionary<string, string[]>();
            foreach (var argument in context.Arguments)
            {
                if (argument is null || argument.GetType().Assembly != typeof(ChatProblemsExtensions).Assembly)
                {
                    continue;   // services, the user, the cancellation token: not a request body
                }

                var results = new List<ValidationResult>();
                Validator.TryValidateObject(argument, new ValidationContext(argument), results, validateAllProperties: true);
                foreach (var result in results)
                {
                    foreach (var member in result.MemberNames.DefaultIfEmpty("body"))
                    {
                        errors[JsonName(argument.GetType(), member)] = [result.ErrorMessage ?? "This value is not valid."];
                    }
                }
            }

            var about = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<ProblemAbout>();
            return errors.Count == 0 ? await next(context) : TypedResults.ValidationProblem(errors, title: about?.Title);
        });

    private static string JsonName(Type type, string member)
        => type.GetProperty(member)?.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? member;
}

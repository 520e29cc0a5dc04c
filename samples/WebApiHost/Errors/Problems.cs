using Microsoft.AspNetCore.Http.HttpResults;

namespace WebApiHost.Errors;

/// <summary>Answers an endpoint gives itself (not from an exception): a problem about one named field.</summary>
internal static class Problems
{
    /// <summary>400 naming <paramref name="field"/>, as the exception handler names a refused argument.</summary>
    public static ValidationProblem Invalid(string title, string field, string message)
        => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: title);

    /// <summary>A problem about one field, with any status (404 for "no such passkey", 400 for bad input).</summary>
    public static ProblemHttpResult Field(int status, string title, string field, string message)
        => TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = status,
            Title = title,
        });
}

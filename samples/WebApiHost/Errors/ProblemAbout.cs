namespace WebApiHost.Errors;

/// <summary>
/// Endpoint metadata for <see cref="ChatExceptionHandler"/>: the title of the endpoint's problems, the request field
/// that a refused argument or a missing resource is about, and an example body for a request it cannot read.
/// </summary>
internal sealed record ProblemAbout(string Title, string? Field = null, string? Example = null);

internal static class ProblemAboutExtensions
{
    /// <summary>Says what this endpoint's failures are about (see <see cref="ProblemAbout"/>).</summary>
    public static TBuilder ProblemsAbout<TBuilder>(this TBuilder builder, string title, string? field = null, string? example = null)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new ProblemAbout(title, field, example));
}

namespace AdminConsole;

/// <summary>The content type a file is sent as when <c>send --type</c> does not say: by its extension, else bytes.</summary>
internal static class ContentTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".gif"] = "image/gif", [".webp"] = "image/webp",
        [".svg"] = "image/svg+xml", [".pdf"] = "application/pdf", [".txt"] = "text/plain", [".csv"] = "text/csv", [".html"] = "text/html",
        [".json"] = "application/json", [".zip"] = "application/zip", [".mp3"] = "audio/mpeg", [".mp4"] = "video/mp4",
    };

    public static string Of(string path) => ByExtension.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");
}

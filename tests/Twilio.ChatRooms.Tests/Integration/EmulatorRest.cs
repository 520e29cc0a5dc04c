using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Twilio.ChatRooms.Tests.Integration;

/// <summary>The emulator's state read (and set up) straight over its REST API, past the library, for assertions.</summary>
internal static class EmulatorRest
{
    public static HttpClient RawClient(EmulatedLibrary lib)
    {
        var http = new HttpClient();
        var credentials = lib.Server.Credentials;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.AccountSid}:{credentials.AuthToken}")));
        return http;
    }

    /// <summary>The absolute URL of a path under the emulator's default service, such as <c>/Users/alice</c>.</summary>
    public static string Url(EmulatedLibrary lib, string servicePath)
        => $"{lib.Server.BaseAddress.AbsoluteUri.TrimEnd('/')}/v1/Services/{lib.Server.DefaultServiceSid}{servicePath}";

    /// <summary>Every record of a list, all pages.</summary>
    public static async Task<List<JsonElement>> ReadAllAsync(EmulatedLibrary lib, string servicePath, string key)
    {
        using var http = RawClient(lib);
        string? url = Url(lib, servicePath) + "?PageSize=50";   // the most every list allows
        var records = new List<JsonElement>();
        while (url is not null)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync(url, Ct));
            records.AddRange(document.RootElement.GetProperty(key).EnumerateArray().Select(r => r.Clone()));
            url = document.RootElement.GetProperty("meta").GetProperty("next_page_url").GetString();
        }

        return records;
    }

    /// <summary>One resource, or null on 404.</summary>
    public static async Task<JsonElement?> FetchAsync(EmulatedLibrary lib, string servicePath)
    {
        using var http = RawClient(lib);
        using var response = await http.GetAsync(Url(lib, servicePath), Ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return document.RootElement.Clone();
    }

    /// <summary>Posts a form, and expects success.</summary>
    public static async Task<JsonElement> PostAsync(EmulatedLibrary lib, string servicePath, params KeyValuePair<string, string>[] form)
    {
        using var http = RawClient(lib);
        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync(Url(lib, servicePath), content, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        response.IsSuccessStatusCode.Should().BeTrue(body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>The SIDs of the conversations the user belongs to, in the service's order.</summary>
    public static async Task<List<string>> MembershipsAsync(EmulatedLibrary lib, string identity)
        => [.. (await ReadAllAsync(lib, $"/Users/{Uri.EscapeDataString(identity)}/Conversations", "conversations"))
            .Select(c => c.GetProperty("conversation_sid").GetString()!)];

    /// <summary>The participants of a conversation (by SID or unique name).</summary>
    public static Task<List<JsonElement>> ParticipantsAsync(EmulatedLibrary lib, string conversation)
        => ReadAllAsync(lib, $"/Conversations/{Uri.EscapeDataString(conversation)}/Participants", "participants");

    /// <summary>The identities of a conversation's chat participants.</summary>
    public static async Task<List<string>> IdentitiesAsync(EmulatedLibrary lib, string conversation)
        => [.. (await ParticipantsAsync(lib, conversation))
            .Select(p => p.GetProperty("identity"))
            .Where(i => i.ValueKind == JsonValueKind.String)
            .Select(i => i.GetString()!)];
}

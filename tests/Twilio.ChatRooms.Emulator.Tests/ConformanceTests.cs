using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NJsonSchema;

namespace Twilio.ChatRooms.Emulator.Tests;

/// <summary>Checks the emulator's answers against Twilio's OpenAPI description of Conversations v1.</summary>
public sealed class ConformanceTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    private static readonly Lazy<JsonObject> OpenApi = new(LoadOpenApi);

    [Fact]
    public async Task EveryOperationTheEmulatorAnswers_IsInTheOpenApi_WithAListedStatusAndAMatchingBody()
    {
        using var http = EmulatorClients.Raw(Server);
        var checker = new Checker(http);
        var service = $"v1/Services/{Server.DefaultServiceSid}";
        var identity = EmulatorClients.Unique("henry");

        await checker.CheckAsync(HttpMethod.Get, "v1/Configuration");
        await checker.CheckAsync(HttpMethod.Get, $"{service}/Configuration");
        await checker.CheckAsync(HttpMethod.Get, "v1/Roles");
        var role = await checker.CheckAsync(HttpMethod.Post, "v1/Roles", ("FriendlyName", EmulatorClients.Unique("r")), ("Type", "conversation"), ("Permission", "sendMessage"), ("Permission", "leaveConversation"));
        await checker.CheckAsync(HttpMethod.Get, $"v1/Roles/{role["sid"]}");
        await checker.CheckAsync(HttpMethod.Post, $"{service}/Roles/{role["sid"]}", ("Permission", "sendMessage"));
        await checker.CheckAsync(HttpMethod.Get, $"{service}/Roles");
        await checker.CheckAsync(HttpMethod.Delete, $"v1/Roles/{role["sid"]}");

        var user = await checker.CheckAsync(HttpMethod.Post, "v1/Users", ("Identity", identity), ("FriendlyName", "Henry"));
        await checker.CheckAsync(HttpMethod.Get, $"v1/Users/{user["sid"]}");
        await checker.CheckAsync(HttpMethod.Post, $"{service}/Users/{identity}", ("Attributes", "{\"a\":1}"));
        await checker.CheckAsync(HttpMethod.Get, "v1/Users?PageSize=5");
        await checker.CheckAsync(HttpMethod.Get, $"{service}/Users?PageSize=5");

        var conversation = await checker.CheckAsync(HttpMethod.Post, "v1/Conversations", ("FriendlyName", "Conformance"), ("UniqueName", EmulatorClients.Unique("conf")));
        var ch = conversation["sid"]!.GetValue<string>();
        await checker.CheckAsync(HttpMethod.Get, $"v1/Conversations/{ch}");
        await checker.CheckAsync(HttpMethod.Post, $"v1/Conversations/{ch}", ("FriendlyName", "Renamed"));
        await checker.CheckAsync(HttpMethod.Get, "v1/Conversations?PageSize=3");
        await checker.CheckAsync(HttpMethod.Get, $"{service}/Conversations/{ch}");
        await checker.CheckAsync(HttpMethod.Get, $"{service}/Conversations?PageSize=3");

        var participant = await checker.CheckAsync(HttpMethod.Post, $"v1/Conversations/{ch}/Participants", ("Identity", identity));
        await checker.CheckAsync(HttpMethod.Post, $"v1/Conversations/{ch}/Participants", ("MessagingBinding.Address", "+15551230000" + Random.Shared.Next(100)), ("MessagingBinding.ProxyAddress", "+15559990000"));
        await checker.CheckAsync(HttpMethod.Get, $"v1/Conversations/{ch}/Participants");
        await checker.CheckAsync(HttpMethod.Get, $"{service}/Conversations/{ch}/Participants/{participant["sid"]}");
        await checker.CheckAsync(HttpMethod.Post, $"v1/Conversations/{ch}/Participants/{participant["sid"]}", ("LastReadMessageIndex", "0"));

        var message = await checker.CheckAsync(HttpMethod.Post, $"v1/Conversations/{ch}/Messages", ("Author", identity), ("Body", "hello"));
        await checker.CheckAsync(HttpMethod.Post, $"{service}/Conversations/{ch}/Messages", ("Body", "second"));
        await checker.CheckAsync(HttpMethod.Get, $"v1/Conversations/{ch}/Messages?Order=desc&PageSize=1");
        await checker.CheckAsync(HttpMethod.Get, $"v1/Conversations/{ch}/Messages/{message["sid"]}");
        await checker.CheckAsync(HttpMethod.Post, $"v1/Conversations/{ch}/Messages/{message["sid"]}", ("Body", "edited"));
        // The conversation has an SMS participant: the message has its delivery receipt.
        var receipts = await checker.CheckAsync(HttpMethod.Get, $"v1/Conversations/{ch}/Messages/{message["sid"]}/Receipts");
        await checker.CheckAsync(HttpMethod.Get, $"{service}/Conversations/{ch}/Messages/{message["sid"]}/Receipts?PageSize=5");
        await checker.CheckAsync(HttpMethod.Get, $"v1/Conversations/{ch}/Messages/{message["sid"]}/Receipts/{receipts["delivery_receipts"]![0]!["sid"]}");
        await checker.CheckAsync(HttpMethod.Get, $"{service}/Conversations/{ch}/Messages/{message["sid"]}/Receipts/{receipts["delivery_receipts"]![0]!["sid"]}");
        var withMedia = await checker.CheckAsync(HttpMethod.Post, $"v1/Conversations/{ch}/Messages", ("MediaSid", await UploadAsync(http, "a.png")));
        await checker.CheckAsync(HttpMethod.Post, $"{service}/Conversations/{ch}/Messages", ("Body", "with a file"), ("MediaSid", await UploadAsync(http, "b.pdf")));
        await checker.CheckAsync(HttpMethod.Get, $"v1/Conversations/{ch}/Messages/{withMedia["sid"]}");
        await checker.CheckAsync(HttpMethod.Get, $"{service}/Conversations/{ch}/Messages?Order=desc&PageSize=2");

        await checker.CheckAsync(HttpMethod.Get, $"{service}/Users/{identity}/Conversations");
        await checker.CheckAsync(HttpMethod.Get, $"v1/Users/{user["sid"]}/Conversations");
        await checker.CheckAsync(HttpMethod.Get, $"{service}/Users/{user["sid"]}/Conversations/{ch}");

        // Webhook configuration: never delivering here (no event of the emulator is named onDeliveryUpdated).
        await checker.CheckAsync(HttpMethod.Get, "v1/Configuration/Webhooks");
        await checker.CheckAsync(HttpMethod.Post, "v1/Configuration/Webhooks", ("Filters", "onDeliveryUpdated"), ("Method", "POST"), ("Target", "webhook"));
        await checker.CheckAsync(HttpMethod.Get, $"{service}/Configuration/Webhooks");
        await checker.CheckAsync(HttpMethod.Post, $"{service}/Configuration/Webhooks", ("PostWebhookUrl", "http://127.0.0.1:9/post"),
            ("PreWebhookUrl", "http://127.0.0.1:9/pre"), ("Filters", "onDeliveryUpdated"), ("Method", "GET"));
        await checker.CheckAsync(HttpMethod.Post, $"{service}/Configuration/Webhooks", ("PostWebhookUrl", ""), ("PreWebhookUrl", ""));
        var webhook = await checker.CheckAsync(HttpMethod.Post, $"v1/Conversations/{ch}/Webhooks", ("Target", "webhook"),
            ("Configuration.Url", "http://127.0.0.1:9/scoped"), ("Configuration.Method", "get"), ("Configuration.Filters", "onDeliveryUpdated"));
        await checker.CheckAsync(HttpMethod.Get, $"v1/Conversations/{ch}/Webhooks");
        await checker.CheckAsync(HttpMethod.Get, $"{service}/Conversations/{ch}/Webhooks/{webhook["sid"]}");
        await checker.CheckAsync(HttpMethod.Post, $"{service}/Conversations/{ch}/Webhooks/{webhook["sid"]}", ("Configuration.Method", "post"));
        await checker.CheckAsync(HttpMethod.Get, $"{service}/Conversations/{ch}/Webhooks");
        await checker.CheckAsync(HttpMethod.Delete, $"v1/Conversations/{ch}/Webhooks/{webhook["sid"]}");

        await checker.CheckAsync(HttpMethod.Delete, $"v1/Conversations/{ch}/Messages/{message["sid"]}");
        await checker.CheckAsync(HttpMethod.Delete, $"v1/Conversations/{ch}/Participants/{participant["sid"]}");
        await checker.CheckAsync(HttpMethod.Delete, $"{service}/Conversations/{ch}");
        await checker.CheckAsync(HttpMethod.Delete, $"v1/Users/{identity}");

        checker.Failures.Should().BeEmpty();
        checker.Checked.Should().BeGreaterThan(30);
    }

    /// <summary>Uploads a small file to the emulator's media service, as a server does before sending it; returns its SID.</summary>
    private async Task<string> UploadAsync(HttpClient http, string filename)
    {
        using var content = new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new("application/octet-stream") } };
        using var response = await http.PostAsync($"mcs/v1/Services/{Server.DefaultServiceSid}/Media?Filename={filename}", content, Ct);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["sid"]!.GetValue<string>();
    }

    [Fact]
    public void Checker_RejectsABodyThatBreaksTheSchema()
    {
        var schema = ResponseSchema("/v1/Conversations/{Sid}", "get", 200)!;
        var bad = new JsonObject { ["sid"] = "not-a-sid", ["index"] = "x", ["date_created"] = 5 };

        Validate(schema, bad.ToJsonString()).Should().NotBeEmpty();
    }

    private sealed class Checker(HttpClient http)
    {
        public List<string> Failures { get; } = [];

        public int Checked { get; private set; }

        public async Task<JsonObject> CheckAsync(HttpMethod method, string path, params (string Key, string Value)[] form)
        {
            using var request = new HttpRequestMessage(method, path);
            if (method != HttpMethod.Get)
            {
                request.Content = EmulatorClients.Form(form);
            }

            using var response = await http.SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            var status = (int)response.StatusCode;
            var template = Template(path.Split('?')[0]);
            Checked++;
            var label = $"{method} {path} -> {status}";
            if (status >= 400)
            {
                Failures.Add($"{label}: {text}");
                return [];
            }

            if (template is null)
            {
                Failures.Add($"{label}: no such path in the OpenAPI");
                return [];
            }

            var operation = OpenApi.Value["paths"]![template]![method.Method.ToLowerInvariant()];
            if (operation is null)
            {
                Failures.Add($"{label}: {template} has no {method}");
                return [];
            }

            if (operation["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)] is null)
            {
                Failures.Add($"{label}: status not listed for {template}");
                return [];
            }

            if (status == 204)
            {
                if (text.Length != 0)
                {
                    Failures.Add($"{label}: 204 with a body");
                }

                return [];
            }

            var schema = ResponseSchema(template, method.Method.ToLowerInvariant(), status);
            if (schema is not null)
            {
                Failures.AddRange(Validate(schema, text).Select(e => $"{label}: {e}"));
            }

            return JsonNode.Parse(text)!.AsObject();
        }
    }

    private static string? Template(string path)
    {
        var absolute = "/" + path;
        return OpenApi.Value["paths"]!.AsObject().Select(p => p.Key)
            .FirstOrDefault(t => Regex.IsMatch(absolute, "^" + Regex.Replace(Regex.Escape(t), @"\\\{[^}]+}", "[^/]+") + "$"));
    }

    private static JsonSchema? ResponseSchema(string template, string method, int status)
    {
        var schema = OpenApi.Value["paths"]![template]![method]!["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)]!["content"]?["application/json"]?["schema"];
        if (schema is null)
        {
            return null;
        }

        var document = schema.DeepClone().AsObject();
        document["definitions"] = OpenApi.Value["components"]!["schemas"]!.DeepClone();
        return JsonSchema.FromJsonAsync(document.ToJsonString()).GetAwaiter().GetResult();
    }

    private static List<string> Validate(JsonSchema schema, string json) =>
        [.. schema.Validate(json).Select(e => $"{e.Path}: {e.Kind}")];

    private static JsonObject LoadOpenApi()
    {
        var text = File.ReadAllText(FindOpenApi()).Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal);
        var root = JsonNode.Parse(text)!.AsObject();
        Normalize(root["components"]!["schemas"]!);
        foreach (var path in root["paths"]!.AsObject())
        {
            Normalize(path.Value!);
        }

        return root;
    }

    /// <summary>OpenAPI 3.0 to JSON Schema: <c>nullable</c> becomes a null type; Twilio's <c>uri-map</c> format is dropped.</summary>
    private static void Normalize(JsonNode node)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                if (item is not null)
                {
                    Normalize(item);
                }
            }

            return;
        }

        if (node is not JsonObject obj)
        {
            return;
        }

        if (obj["format"]?.GetValue<string>() == "uri-map")
        {
            obj.Remove("format");
        }

        if (obj["nullable"] is JsonValue nullable && nullable.GetValue<bool>())
        {
            obj.Remove("nullable");
            if (obj["$ref"] is JsonNode reference)
            {
                obj.Remove("$ref");
                obj.Remove("type");
                obj["anyOf"] = new JsonArray(new JsonObject { ["$ref"] = reference.GetValue<string>() }, new JsonObject { ["type"] = "null" });
            }
            else if (obj["type"] is JsonValue type)
            {
                obj["type"] = new JsonArray(type.GetValue<string>(), "null");
            }
        }

        foreach (var child in obj.Select(p => p.Value).ToList())
        {
            if (child is not null)
            {
                Normalize(child);
            }
        }
    }

    private static string FindOpenApi()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "OpenApi", "twilio_conversations_v1.json");
        if (File.Exists(copied))
        {
            return copied;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "twilio-oai", "twilio_conversations_v1.json"), Path.Combine(dir.FullName, "twilio-oai", "twilio_conversations_v1.json") })
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return "/work/shared/twilio-oai/twilio_conversations_v1.json";
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Twilio.ChatRooms.Emulator.TwilioRules;

namespace Twilio.ChatRooms.Emulator.Http;

/// <summary>
/// Twilio's list paging. Page tokens name the sort key of the last (PA) or first (PB) item shown, so pages stay
/// stable while items are added or removed.
/// </summary>
internal static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;

    /// <summary>Twilio's API description caps the lists of roles, users and a user's conversations at 50 a page.</summary>
    public const int SmallMaxPageSize = 50;

    public static JsonObject Page<T>(IReadOnlyList<T> ordered, Func<T, long> sortKey, bool descending, IQueryCollection query,
        string listUrl, string key, Func<T, JsonNode> render, string? extraQuery = null, int maxPageSize = MaxPageSize)
    {
        var pageSize = Int(query, "PageSize", DefaultPageSize);
        if (pageSize < 1 || pageSize > maxPageSize)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, $"PageSize must be between 1 and {maxPageSize}");
        }

        var page = Int(query, "Page", 0);
        if (page < 0)
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "Page must not be negative");
        }

        string? token = query["PageToken"];
        bool After(T item, long k) => descending ? sortKey(item) < k : sortKey(item) > k;
        bool Before(T item, long k) => descending ? sortKey(item) > k : sortKey(item) < k;

        List<T> items;
        if (string.IsNullOrEmpty(token))
        {
            items = [.. ordered.Skip((int)Math.Min(int.MaxValue, (long)page * pageSize)).Take(pageSize)];
        }
        else if (token.Length > 2 && long.TryParse(token.AsSpan(2), NumberStyles.Integer, CultureInfo.InvariantCulture, out var tokenKey)
            && token[0] == 'P' && token[1] is 'A' or 'B')
        {
            items = token[1] == 'A'
                ? [.. ordered.Where(i => After(i, tokenKey)).Take(pageSize)]
                : [.. ordered.Where(i => Before(i, tokenKey)).TakeLast(pageSize)];
        }
        else
        {
            throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "PageToken is not valid");
        }

        string Url(int p, string? t)
        {
            var sb = new StringBuilder(listUrl).Append("?PageSize=").Append(pageSize.ToString(CultureInfo.InvariantCulture))
                .Append("&Page=").Append(p.ToString(CultureInfo.InvariantCulture));
            if (t is not null)
            {
                sb.Append("&PageToken=").Append(t);
            }

            if (extraQuery is not null)
            {
                sb.Append('&').Append(extraQuery);
            }

            return sb.ToString();
        }

        var hasNext = items.Count > 0 && ordered.Any(i => After(i, sortKey(items[^1])));
        var hasPrevious = page > 0 && items.Count > 0 && ordered.Any(i => Before(i, sortKey(items[0])));
        var list = new JsonArray([.. items.Select(i => (JsonNode?)render(i))]);
        return new JsonObject
        {
            [key] = list,
            ["meta"] = new JsonObject
            {
                ["page"] = page,
                ["page_size"] = pageSize,
                ["first_page_url"] = Url(0, null),
                ["previous_page_url"] = hasPrevious ? Url(page - 1, "PB" + sortKey(items[0]).ToString(CultureInfo.InvariantCulture)) : null,
                ["url"] = Url(page, string.IsNullOrEmpty(token) ? null : token),
                ["next_page_url"] = hasNext ? Url(page + 1, "PA" + sortKey(items[^1]).ToString(CultureInfo.InvariantCulture)) : null,
                ["key"] = key,
            },
        };
    }

    private static int Int(IQueryCollection query, string name, int fallback)
    {
        string? value = query[name];
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, $"{name} must be an integer");
    }
}

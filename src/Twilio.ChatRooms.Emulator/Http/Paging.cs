using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Http;

/// <summary>
/// Twilio's list paging. Page tokens name the sort key of the last (PA) or first (PB) item shown, so pages stay
/// stable while items are added or removed. A page is found by position in a list ordered by its sort key: a binary
/// search for a token, then only the page's own items, so a page costs the same however long the list.
/// </summary>
internal static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;

    /// <summary>Twilio's API description caps the lists of roles, users and a user's conversations at 50 a page.</summary>
    public const int SmallMaxPageSize = 50;

    /// <summary>A page of <paramref name="ordered"/>, a list ordered by <paramref name="sortKey"/> (descending with <paramref name="descending"/>).</summary>
    public static JsonObject Page<T>(IReadOnlyList<T> ordered, Func<T, long> sortKey, bool descending, IQueryCollection query,
        string listUrl, string key, Func<T, JsonNode> render, string? extraQuery = null, int maxPageSize = MaxPageSize)
    {
        var request = Query(query, maxPageSize);
        var window = Window(request, ordered.Count, i => sortKey(ordered[i]), descending);
        var items = new T[window.End - window.Start];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = ordered[window.Start + i];
        }

        return Render(request, items, window, sortKey, listUrl, key, render, extraQuery);
    }

    /// <summary>The page a query asks for, checked: 400/20001 for a page size, page or token out of range.</summary>
    public static PageQuery Query(IQueryCollection query, int maxPageSize = MaxPageSize)
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
        if (string.IsNullOrEmpty(token))
        {
            return new PageQuery(pageSize, page, null, PageFrom.Start, 0);
        }

        if (token.Length > 2 && long.TryParse(token.AsSpan(2), NumberStyles.Integer, CultureInfo.InvariantCulture, out var tokenKey)
            && token[0] == 'P' && token[1] is 'A' or 'B')
        {
            return new PageQuery(pageSize, page, token, token[1] == 'A' ? PageFrom.After : PageFrom.Before, tokenKey);
        }

        throw TwilioErrors.BadRequest(TwilioErrors.InvalidParameter, "PageToken is not valid");
    }

    /// <summary>
    /// Where the page is in a list of <paramref name="count"/> items whose sort keys (<paramref name="keyAt"/> a
    /// position) strictly increase, or strictly decrease with <paramref name="descending"/>: at most two binary searches.
    /// </summary>
    public static PageWindow Window(PageQuery query, int count, Func<int, long> keyAt, bool descending)
    {
        // Compares the item at a position with a token's key in the list's own order.
        int Compare(int position, long k) => descending ? k.CompareTo(keyAt(position)) : keyAt(position).CompareTo(k);

        // The first position whose item is after the key (or, with orEqual, not before it).
        int Bound(long k, bool orEqual)
        {
            int low = 0, high = count;
            while (low < high)
            {
                var middle = low + ((high - low) / 2);
                var c = Compare(middle, k);
                if (c < 0 || (c == 0 && !orEqual))
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }

        int start, end;
        switch (query.From)
        {
            case PageFrom.After:
                start = Bound(query.TokenKey, orEqual: false);
                end = (int)Math.Min(count, (long)start + query.PageSize);
                break;
            case PageFrom.Before:
                end = Bound(query.TokenKey, orEqual: true);
                start = Math.Max(0, end - query.PageSize);
                break;
            default:
                start = (int)Math.Min(count, (long)query.Page * query.PageSize);
                end = (int)Math.Min(count, (long)start + query.PageSize);
                break;
        }

        // Keys are unique, so whatever lies past the page's ends is after (before) its last (first) item.
        return new PageWindow(start, end, HasNext: end > start && end < count, HasPrevious: query.Page > 0 && end > start && start > 0);
    }

    /// <summary>Twilio's list body for the page's <paramref name="items"/>, the ones <paramref name="window"/> placed.</summary>
    public static JsonObject Render<T>(PageQuery query, IReadOnlyList<T> items, PageWindow window, Func<T, long> sortKey, string listUrl,
        string key, Func<T, JsonNode> render, string? extraQuery = null)
    {
        string Url(int p, string? t)
        {
            var sb = new StringBuilder(listUrl).Append("?PageSize=").Append(query.PageSize.ToString(CultureInfo.InvariantCulture))
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

        var page = query.Page;
        var list = new JsonArray([.. items.Select(i => (JsonNode?)render(i))]);
        return new JsonObject
        {
            [key] = list,
            ["meta"] = new JsonObject
            {
                ["page"] = page,
                ["page_size"] = query.PageSize,
                ["first_page_url"] = Url(0, null),
                ["previous_page_url"] = window.HasPrevious ? Url(page - 1, "PB" + sortKey(items[0]).ToString(CultureInfo.InvariantCulture)) : null,
                ["url"] = Url(page, query.Token),
                ["next_page_url"] = window.HasNext ? Url(page + 1, "PA" + sortKey(items[^1]).ToString(CultureInfo.InvariantCulture)) : null,
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

/// <summary>Where a page starts: at <c>Page</c> x <c>PageSize</c>, after a PA token's key, or ending before a PB token's key.</summary>
internal enum PageFrom
{
    Start,
    After,
    Before,
}

/// <summary>A checked page request: size, number, and the token it came with (null for none) and its key.</summary>
internal readonly record struct PageQuery(int PageSize, int Page, string? Token, PageFrom From, long TokenKey);

/// <summary>The page's positions in the ordered list, <c>[Start, End)</c>, and whether items lie past either end.</summary>
internal readonly record struct PageWindow(int Start, int End, bool HasNext, bool HasPrevious);

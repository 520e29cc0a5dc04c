using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Twilio.ChatRooms.Emulator.TwilioConventions;

namespace Twilio.ChatRooms.Emulator.Inspector;

/// <summary>
/// The inspector's HTML building blocks: sections, tables and number fields, and values shaped for reading. Every text
/// goes through <see cref="HtmlEncoder"/> (<see cref="E"/>): message bodies, names and attributes are anyone's input.
/// </summary>
internal static class InspectorHtml
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static void Section(StringBuilder html, string id, string heading) =>
        html.Append("<section id=\"").Append(id).Append("\" aria-labelledby=\"").Append(id).Append("-heading\">\n<h2 id=\"")
            .Append(id).Append("-heading\">").Append(E(heading)).Append("</h2>\n");

    /// <summary>A table whose cells are HTML already encoded by the caller.</summary>
    public static void Table(StringBuilder html, string caption, string[] headers, IEnumerable<string[]> rows)
    {
        var any = false;
        foreach (var row in rows)
        {
            if (!any)
            {
                html.Append("<div class=\"scroll\"><table>\n<caption>").Append(E(caption)).Append("</caption>\n<thead><tr>");
                foreach (var header in headers)
                {
                    html.Append("<th scope=\"col\">").Append(E(header)).Append("</th>");
                }

                html.Append("</tr></thead>\n<tbody>\n");
                any = true;
            }

            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append("<td>").Append(cell).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append(any ? "</tbody>\n</table></div>\n" : $"<p>{E(caption)}: none.</p>\n");
    }

    public static void Field(StringBuilder html, string name, string label, double value, string step, double max) =>
        html.Append("<p><label for=\"fault-").Append(name).Append("\">").Append(E(label)).Append("</label> <input type=\"number\" id=\"fault-")
            .Append(name).Append("\" name=\"").Append(name).Append("\" min=\"0\" max=\"").Append(max.ToString(CultureInfo.InvariantCulture))
            .Append("\" step=\"").Append(step).Append("\" value=\"").Append(value.ToString(CultureInfo.InvariantCulture)).Append("\"></p>\n");

    public static string E(string? text) => text is null ? "" : Encoder.Encode(text);

    public static string Code(string? text) => $"<code>{E(text)}</code>";

    public static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Date(DateTimeOffset date) =>
        $"<time datetime=\"{E(TwilioFormat.Date(date))}\">{E(date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))} UTC</time>";

    public static string Size(long bytes) => bytes < 1024
        ? bytes.ToString(CultureInfo.InvariantCulture) + " bytes"
        : (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB (" + bytes.ToString(CultureInfo.InvariantCulture) + " bytes)";
}

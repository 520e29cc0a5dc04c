namespace Twilio.ChatRooms.Emulator.Inspector;

/// <summary>The inspector's only script and style, served as files of their own so the page's policy allows no inline code.</summary>
internal static class InspectorAssets
{
    /// <summary>
    /// Live: waits for the version to change (a long poll), then fetches the live part again and puts it in place;
    /// after a failure (the emulator stopped, say) it tries again a little later.
    /// </summary>
    public const string Script = """
        "use strict";
        (() => {
          const live = document.getElementById("live");
          if (!live || !window.fetch) {
            return;
          }
          let version = live.dataset.version;
          const pause = ms => new Promise(resolve => setTimeout(resolve, ms));
          const loop = async () => {
            for (;;) {
              try {
                const poll = await fetch(live.dataset.changes + "?after=" + encodeURIComponent(version), { cache: "no-store" });
                if (!poll.ok) {
                  throw new Error("poll " + poll.status);
                }
                if ((await poll.text()).trim() === version) {
                  continue;
                }
                const part = await fetch(live.dataset.src, { cache: "no-store" });
                if (!part.ok) {
                  throw new Error("live " + part.status);
                }
                const next = part.headers.get("X-Inspector-Version");
                live.innerHTML = await part.text();
                version = next ?? version;
                live.dataset.version = version;
              } catch {
                await pause(2000);
              }
            }
          };
          loop();
        })();
        """;

    public const string Style = """
        :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.4; }
        body { margin: 0 auto; max-width: 80rem; padding: 0 1rem 2rem; }
        nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
        section { margin-top: 1.5rem; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; }
        caption { text-align: left; font-style: italic; padding-bottom: 0.25rem; }
        th, td { border: 1px solid #8888; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
        td ul { margin: 0; padding-left: 1rem; }
        code { font-size: 0.85em; overflow-wrap: anywhere; }
        .body { white-space: pre-wrap; overflow-wrap: anywhere; }
        .saved { border-left: 0.25rem solid #2a7; padding-left: 0.5rem; }
        label { display: inline-block; min-width: 22rem; }
        a[aria-current] { font-weight: bold; }
        """;
}

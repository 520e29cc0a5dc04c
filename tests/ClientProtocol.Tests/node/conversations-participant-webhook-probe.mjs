// Twilio's own @twilio/conversations client changing its own participant's attributes (participant.updateAttributes)
// while a pre-event webhook decides: a change it refuses reaches the SDK as an error, one it accepts is kept and seen.
//   node conversations-participant-webhook-probe.mjs <ws url> <token> <conversation sid>
import WebSocket from "ws";
import { attempt, deadline, next, print, start } from "./probe.mjs";

globalThis.WebSocket = WebSocket;
const [url, token, conversationSid] = process.argv.slice(2);
const finish = deadline(60_000);

try {
  const client = await start(token, url);
  const room = await client.getConversationBySid(conversationSid);
  await room.getParticipants();
  const me = await room.getParticipantByIdentity(client.user.identity);
  await attempt("refused", () => me.updateAttributes({ note: "blocked" }).then(() => "updated"));
  const updated = next(room, "participantUpdated", ({ participant, updateReasons }) => participant.sid === me.sid
    && updateReasons.includes("attributes"));
  await attempt("kept", () => me.updateAttributes({ note: "fine" }).then(() => "updated"));
  print("seen", { attributes: (await updated).participant.attributes });
  await client.shutdown();
} catch (e) {
  print("error", { message: e.message ?? String(e), stack: e.stack });
}
finish();

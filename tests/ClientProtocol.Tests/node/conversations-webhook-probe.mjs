// Twilio's own @twilio/conversations client against the emulator, causing the changes webhooks report: it sends a
// message, edits it and deletes it, then tries to send each of the other bodies given (a pre-event webhook may refuse
// them) and prints what each send got.
//   node conversations-webhook-probe.mjs <ws url> <token> <conversation sid> [body to try...]
import WebSocket from "ws";
import { attempt, deadline, next, print, start } from "./probe.mjs";

globalThis.WebSocket = WebSocket;
const [url, token, conversationSid, ...tries] = process.argv.slice(2);
const finish = deadline(60_000);

try {
  const client = await start(token, url);
  const room = await client.getConversationBySid(conversationSid);
  await room.getMessages(1);   // subscribes to the conversation's messages
  const added = next(room, "messageAdded", (m) => m.body === "from the sdk");
  await room.sendMessage("from the sdk");
  const mine = await added;
  await mine.updateBody("edited in the sdk");
  await mine.remove();
  print("changed", { sid: mine.sid });
  for (const body of tries) {
    await attempt(`send:${body}`, () => room.sendMessage(body));
  }

  await client.shutdown();
} catch (e) {
  print("error", { message: e.message ?? String(e), stack: e.stack });
}
finish();

// Twilio's own @twilio/conversations client against the emulator: a user tries to edit and delete messages by index
// (each label=index), then edits one of their own.
//   node conversations-own-message-probe.mjs <ws url> <token> <conversation sid> <label=index,...>
import WebSocket from "ws";
import { attempt, deadline, next, print, start } from "./probe.mjs";

globalThis.WebSocket = WebSocket;
const [url, token, conversationSid, targets] = process.argv.slice(2);
const finish = deadline(60_000);

try {
  const client = await start(token, url);
  const room = await client.getConversationBySid(conversationSid);
  const page = await room.getMessages(100);
  for (const target of targets.split(",")) {
    const [label, index] = target.split("=");
    const message = page.items.find((m) => m.index === Number(index));
    await attempt(`${label}Edit`, () => message.updateBody("rewritten by " + client.user.identity).then(() => "edited"));
    await attempt(`${label}Delete`, () => message.remove().then(() => "deleted"));
  }

  const added = next(room, "messageAdded", (m) => m.body === "my own words");
  await room.sendMessage("my own words");
  const mine = await added;
  await attempt("ownEdit", () => mine.updateBody("my own words, edited").then(() => "edited"));
  await client.shutdown();
} catch (e) {
  print("error", { message: e.message ?? String(e), stack: e.stack });
}
finish();

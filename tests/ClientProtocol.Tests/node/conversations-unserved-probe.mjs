// Twilio's own @twilio/conversations client against the emulator, asking for a push registration (accepted and
// ignored, as push is not emulated) and sending a media message; the connection carries on with a text message.
//   node conversations-unserved-probe.mjs <ws url> <alice token> <conversation sid>
import WebSocket from "ws";
import { attempt, deadline, print, start } from "./probe.mjs";

// The sockets the SDK opens: one, unless the server dropped it and the SDK reconnected.
let sockets = 0;
globalThis.WebSocket = class extends WebSocket {
  constructor(...args) { super(...args); sockets++; }
};
const [url, token, conversationSid] = process.argv.slice(2);
const finish = deadline(60_000);

try {
  const client = await start(token, url);
  print("subscribed", { count: (await client.getSubscribedConversations()).items.length });
  const room = await client.getConversationBySid(conversationSid);
  await attempt("push", () => client.setPushRegistrationId("fcm", "emulated-device-token").then(() => "registered"));
  await attempt("media", () => room.sendMessage({ contentType: "image/png", filename: "dot.png", media: Buffer.from([137, 80, 78, 71]) }));
  await attempt("text", () => room.sendMessage("still connected"));
  print("connection", { state: client.connectionState, sockets });
  await client.shutdown();
} catch (e) {
  print("error", { message: e.message ?? String(e), stack: e.stack });
}
finish();

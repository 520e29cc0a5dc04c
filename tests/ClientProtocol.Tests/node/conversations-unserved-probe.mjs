// Twilio's own @twilio/conversations client against the emulator, asking for what the emulator does not serve: a push
// registration (accepted and ignored) and a media message (refused); the connection carries on with a text message.
//   node conversations-unserved-probe.mjs <ws url> <alice token> <conversation sid>
import WebSocket from "ws";
import { Client } from "@twilio/conversations";

// The sockets the SDK opens: one, unless the server dropped it and the SDK reconnected.
let sockets = 0;
globalThis.WebSocket = class extends WebSocket {
  constructor(...args) { super(...args); sockets++; }
};
const [url, token, conversationSid] = process.argv.slice(2);
const print = (event, data = {}) => process.stdout.write(JSON.stringify({ event, ...data }) + "\n");
const deadline = setTimeout(() => { print("timeout"); process.exit(2); }, 60_000);
const attempt = async (label, call) => {
  try { print(label, { ok: true, value: await call() }); } catch (e) { print(label, { ok: false, error: e.message ?? String(e) }); }
};

try {
  const client = await new Promise((resolve, reject) => {
    const c = new Client(token, { Twilsock: { uri: url }, logLevel: "silent" });
    c.on("stateChanged", (state) => {
      if (state === "initialized") resolve(c);
      if (state === "failed") reject(new Error("failed to initialise"));
    });
  });
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
clearTimeout(deadline);
print("done");
process.exit(0);

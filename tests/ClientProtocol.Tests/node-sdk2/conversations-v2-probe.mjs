// @twilio/conversations 2.x (2.7.0, the last 2.x; Twilio's demo ran 2.4) against the emulator: the core flow of a chat
// app, for SdkVersionTests. Alice and Bob connect, list their conversations, Bob sees Alice type and her message arrive,
// reads it, and Alice sees Bob's read horizon move.
//   node conversations-v2-probe.mjs <ws url> <alice token> <bob token> <conversation sid>
import WebSocket from "ws";
import { createRequire } from "node:module";

globalThis.WebSocket = WebSocket;
const require = createRequire(import.meta.url);
const { Client } = require("@twilio/conversations");
const print = (event, data = {}) => process.stdout.write(JSON.stringify({ event, ...data }) + "\n");
const [url, aliceToken, bobToken, conversationSid] = process.argv.slice(2);
const timer = setTimeout(() => { print("timeout"); process.exit(2); }, 90_000);

const start = (token) => new Promise((resolve, reject) => {
  const client = new Client(token, { Twilsock: { uri: url }, logLevel: "silent" });
  client.on("stateChanged", (state) => {
    if (state === "initialized") resolve(client);
    if (state === "failed") reject(new Error("failed to initialise"));
  });
});
const next = (emitter, event, accept = () => true) => new Promise((resolve) => {
  const listener = (value) => { if (accept(value)) { emitter.off(event, listener); resolve(value); } };
  emitter.on(event, listener);
});

try {
  const [alice, bob] = await Promise.all([start(aliceToken), start(bobToken)]);
  print("connected", { version: Client.version, alice: alice.connectionState, bob: bob.connectionState });

  const page = await bob.getSubscribedConversations();
  print("conversations", { sids: page.items.map((c) => c.sid), statuses: page.items.map((c) => c.status) });

  const aliceRoom = await alice.getConversationBySid(conversationSid);
  const bobRoom = await bob.getConversationBySid(conversationSid);
  await Promise.all([aliceRoom.getParticipants(), bobRoom.getParticipants()]);

  const typing = next(bobRoom, "typingStarted", (p) => p.identity === "alice");
  await aliceRoom.typing();
  print("typingStarted", { identity: (await typing).identity });

  const received = next(bobRoom, "messageAdded", (m) => m.body === "hello from 2.x");
  const index = await aliceRoom.sendMessage("hello from 2.x");
  const message = await received;
  print("messageAdded", { sent: index, index: message.index, author: message.author, body: message.body });

  const horizon = next(aliceRoom, "participantUpdated", ({ participant, updateReasons }) => participant.identity === "bob"
    && updateReasons.includes("lastReadMessageIndex"));
  await bobRoom.setAllMessagesRead();
  print("aliceSawBobRead", { lastReadMessageIndex: (await horizon).participant.lastReadMessageIndex });
  // Asked once: the SDK keeps the answer for http_cache_interval (5 s).
  print("unreadAfter", { count: await bobRoom.getUnreadMessagesCount(), lastReadMessageIndex: bobRoom.lastReadMessageIndex });

  await Promise.all([alice.shutdown(), bob.shutdown()]);
} catch (e) {
  print("error", { message: e.message ?? String(e), body: e.body ?? null });
}
clearTimeout(timer);
print("done");
process.exit(0);

// The emulator drops the connection of Twilio's own @twilio/conversations client (the test tells it to, as Twilio's edge
// would in a deploy or a network failure); the network stays down while the test changes the conversation over REST
// (messages sent, one edited, one deleted); then the SDK reconnects by itself on a new socket and gets each change once.
//   node conversations-server-drop-probe.mjs <ws url> <token> <conversation sid>
// Talks with the test: prints "ready" (subscribed), "down" (the SDK lost its connection), "reconnected"; waits for
// "go" on stdin after "down" (the changes are made) and after "reconnected" (one more message is sent).
import net from "node:net";
import WebSocket from "ws";
import { deadline, fromTest, print, start } from "./probe.mjs";

// While `held`, the sockets the SDK opens reach a server that closes every connection at once: the network is still
// down, so the SDK keeps retrying until the test has made its changes, and what it missed can only come by replay.
const down = net.createServer((socket) => socket.destroy());
await new Promise((resolve) => down.listen(0, "127.0.0.1", resolve));
let held = false;
let sockets = 0;
const [url, token, conversationSid] = process.argv.slice(2);
globalThis.WebSocket = class extends WebSocket {
  constructor(address, ...rest) {
    super(held ? `ws://127.0.0.1:${down.address().port}/twilsock` : address, ...rest);
    if (!held) sockets++;
  }
};
const finish = deadline();

try {
  const states = [];
  let onState = () => {};
  const client = await start(token, url, (c) => c.on("connectionStateChanged", (state) => { states.push(state); onState(state); }));
  const room = await client.getConversationBySid(conversationSid);
  const live = [];
  room.on("messageAdded", (m) => live.push({ event: "added", index: m.index, body: m.body }));
  room.on("messageUpdated", ({ message, updateReasons }) => updateReasons.includes("body") && live.push({ event: "updated", index: message.index, body: message.body }));
  room.on("messageRemoved", (m) => live.push({ event: "removed", index: m.index, body: m.body }));
  const before = await room.getMessages(30);

  const lost = new Promise((resolve) => (onState = (s) => s !== "connected" && resolve()));
  held = true;
  print("ready", { history: before.items.map((m) => m.body), sockets });
  await lost;
  print("down", { state: client.connectionState });

  await fromTest("go"); // the test has sent, edited and deleted over REST
  const back = new Promise((resolve) => (onState = (s) => s === "connected" && resolve()));
  held = false;
  await back;
  print("reconnected", { sockets });

  await fromTest("go"); // one more message, sent after the reconnect
  const wanted = (e) => e.event === "added" && e.body === "after the reconnect";
  while (!live.some(wanted)) await new Promise((r) => setTimeout(r, 50));
  // Anything doubled would come with the replay, before the message sent after it: nothing more is awaited.
  const history = await room.getMessages(30);
  print("seen", { live, history: history.items.map((m) => ({ index: m.index, body: m.body })), states, sockets });
  await client.shutdown();
} catch (e) {
  print("error", { message: e.message ?? String(e), stack: e.stack });
}
down.close();
finish();

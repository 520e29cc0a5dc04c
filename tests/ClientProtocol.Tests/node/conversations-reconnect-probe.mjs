// Twilio's own @twilio/conversations client loses its socket, misses a message while offline, reconnects by itself
// and gets the message once, with nothing lost or doubled; a message deleted while it was offline is removed.
//   node conversations-reconnect-probe.mjs <ws url> <alice's token> <conversation sid> <REST messages url> <basic auth>
import WebSocket from "ws";
import { Client } from "@twilio/conversations";
import { deadline, print } from "./probe.mjs";

// The sockets the SDK opens, so the probe can cut one as a network failure would.
const sockets = [];
globalThis.WebSocket = class extends WebSocket {
  constructor(...args) { super(...args); sockets.push(this); }
};
const [url, aliceToken, conversationSid, restMessages, basicAuth] = process.argv.slice(2);
const finish = deadline();
const post = (body) => fetch(restMessages, { method: "POST", headers: { authorization: `Basic ${basicAuth}`, "content-type": "application/x-www-form-urlencoded" }, body: `Author=bob&Body=${encodeURIComponent(body)}` });

try {
  const client = new Client(aliceToken, { Twilsock: { uri: url }, logLevel: "silent" });
  const states = [];
  let onState = () => {};
  client.on("connectionStateChanged", (state) => { states.push(state); onState(state); });
  await new Promise((resolve, reject) => client.on("stateChanged", (s) => (s === "initialized" ? resolve() : s === "failed" && reject(new Error("failed")))));
  const room = await client.getConversationBySid(conversationSid);
  const seen = [];
  const removed = [];
  room.on("messageAdded", (m) => seen.push(m.body));
  room.on("messageRemoved", (m) => removed.push(m.body));
  await post("before the cut");
  const doomed = await (await post("deleted while offline")).json();
  while (!seen.includes("deleted while offline")) await new Promise((r) => setTimeout(r, 50));

  const disconnected = new Promise((resolve) => (onState = (s) => s !== "connected" && resolve()));
  sockets.at(-1).terminate(); // no close frame: the connection just dies
  await disconnected;
  print("cut", { state: client.connectionState });
  await post("while offline");
  const deleted = await fetch(`${restMessages}/${doomed.sid}`, { method: "DELETE", headers: { authorization: `Basic ${basicAuth}` } });
  print("deletedOffline", { status: deleted.status });
  const reconnected = new Promise((resolve) => (onState = (s) => s === "connected" && resolve()));
  await reconnected;
  print("reconnected", { sockets: sockets.length });
  await post("after the reconnect");
  while (!seen.includes("after the reconnect") || removed.length === 0) await new Promise((r) => setTimeout(r, 50));
  const history = await room.getMessages(30);
  print("seen", { live: seen, removed, history: history.items.map((m) => m.body), states });
  await client.shutdown();
} catch (e) {
  print("error", { message: e.message ?? String(e), stack: e.stack });
}
finish();

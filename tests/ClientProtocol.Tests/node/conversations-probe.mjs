// Drives Twilio's own @twilio/conversations client, unmodified but for its Twilsock.uri, against the emulator, and
// prints what two users saw, one JSON object a line, for tests/ClientProtocol.Tests to assert on.
//   node conversations-probe.mjs <ws url> <alice's token> <bob's token> <conversation sid>
import WebSocket from "ws";
import { deadline, print, start as startClient } from "./probe.mjs";

globalThis.WebSocket = WebSocket;
const [url, aliceToken, bobToken, conversationSid] = process.argv.slice(2);
const finish = deadline();

const start = (token, who) => startClient(token, url, (client) => {
  client.on("stateChanged", (state) => print("state", { who, state }));
  client.on("connectionStateChanged", (state) => print("connection", { who, state }));
});

try {
  const alice = await start(aliceToken, "alice");
  const bob = await start(bobToken, "bob");

  const page = await alice.getSubscribedConversations();
  print("subscribed", { who: "alice", conversations: page.items.map((c) => ({ sid: c.sid, friendlyName: c.friendlyName, status: c.status })) });

  const aliceConversation = await alice.getConversationBySid(conversationSid);
  const history = await aliceConversation.getMessages(30);
  print("history", { who: "alice", bodies: history.items.map((m) => m.body), indexes: history.items.map((m) => m.index), hasPrevPage: history.hasPrevPage });
  const participants = await aliceConversation.getParticipants();
  print("participants", { who: "alice", identities: participants.map((p) => p.identity).sort() });

  const bobConversation = await bob.getConversationBySid(conversationSid);
  // The SDK drops a typing indicator for a participant it has not loaded yet (services/typing-indicator.js
  // _handleRemoteTyping walks conversation._participants): wait for Bob's roster, as an app showing members would.
  await bobConversation.getParticipants();
  const received = new Promise((resolve) => bobConversation.on("messageAdded", (m) => resolve(m)));
  const typing = new Promise((resolve) => bobConversation.on("typingStarted", (p) => resolve(p.identity)));
  await aliceConversation.typing();
  print("typingStarted", { who: "bob", identity: await typing });
  const index = await aliceConversation.sendMessage("hello from alice");
  print("sent", { who: "alice", index });
  const message = await received;
  print("messageAdded", { who: "bob", body: message.body, author: message.author, index: message.index });

  await alice.shutdown();
  await bob.shutdown();
} catch (e) {
  print("error", { message: e.message ?? String(e) });
}
finish();

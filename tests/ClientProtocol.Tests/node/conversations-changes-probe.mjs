// Twilio's own @twilio/conversations client against the emulator: changes made over REST, edits and deletes between
// two users, the read horizon, paging back through a long history, and a third user kept out.
//   node conversations-changes-probe.mjs <ws url> <alice> <bob> <carol tokens> <conversation sid> <REST messages url> <basic auth>
import WebSocket from "ws";
import { attempt, deadline, next, print, start as startClient } from "./probe.mjs";

globalThis.WebSocket = WebSocket;
const [url, aliceToken, bobToken, carolToken, conversationSid, restMessages, basicAuth] = process.argv.slice(2);
const start = (token) => startClient(token, url);
const finish = deadline();

try {
  const [alice, bob, carol] = await Promise.all([start(aliceToken), start(bobToken), start(carolToken)]);
  const aliceRoom = await alice.getConversationBySid(conversationSid);
  const bobRoom = await bob.getConversationBySid(conversationSid);

  // Paging backwards: 30, then 30, then the rest, with nothing doubled or missing.
  let page = await aliceRoom.getMessages(30);
  const pages = [page.items.map((m) => m.index)];
  while (page.hasPrevPage) { page = await page.prevPage(); pages.push(page.items.map((m) => m.index)); }
  print("pages", { pages });

  // A message posted over REST (as the library or any server SDK would) reaches a connected client.
  const fromRest = next(bobRoom, "messageAdded");
  const aliceSawRest = next(aliceRoom, "messageAdded");
  const posted = await fetch(restMessages, { method: "POST", headers: { authorization: `Basic ${basicAuth}`, "content-type": "application/x-www-form-urlencoded" }, body: "Author=system&Body=from%20REST" });
  print("restPost", { status: posted.status });
  print("restMessageAdded", { body: (await fromRest).body });
  await aliceSawRest;

  // Edit and delete one's own message; the other participant sees both. Bob may not edit Alice's message.
  const aliceAdded = next(aliceRoom, "messageAdded", (m) => m.body === "first draft");
  const bobAdded = next(bobRoom, "messageAdded", (m) => m.body === "first draft");
  const index = await aliceRoom.sendMessage("first draft");
  const aliceMessage = await aliceAdded;
  const bobCopy = await bobAdded;
  await attempt("bobEditsAlice", () => bobCopy.updateBody("hijacked"));
  const updated = next(bobRoom, "messageUpdated");
  await aliceMessage.updateBody("final text");
  const { message: edited } = await updated;
  print("messageUpdated", { index: edited.index, body: edited.body, sent: index });
  const removed = next(bobRoom, "messageRemoved");
  await aliceMessage.remove();
  print("messageRemoved", { index: (await removed).index });

  // The read horizon.
  print("unreadBefore", { count: await bobRoom.getUnreadMessagesCount() });
  // setAllMessagesRead answers the server's new count (a second getUnreadMessagesCount within 500 ms would be served
  // from the SDK's own GET cache).
  print("unreadAfter", { count: await bobRoom.setAllMessagesRead() });

  // Carol is not a participant: she cannot see, read or write the conversation.
  const carolRooms = await carol.getSubscribedConversations();
  print("carolSubscribed", { sids: carolRooms.items.map((c) => c.sid) });
  await attempt("carolGets", () => carol.getConversationBySid(conversationSid).then((c) => c.sid));
  await attempt("carolPeeks", () => carol.peekConversationBySid(conversationSid).then((c) => c.getMessages().then((p) => p.items.length)));

  await Promise.all([alice.shutdown(), bob.shutdown(), carol.shutdown()]);
} catch (e) {
  print("error", { message: e.message ?? String(e), body: e.body ?? null, stack: e.stack });
}
finish();

// Twilio's own @twilio/conversations client against the emulator: a user creates a conversation, joins it, is refused
// what their roles do not grant, sees a participant added over REST come and leave, and leaves; a third user cannot get it.
// With "granted", the roles grant adding, renaming and deleting, and the creator does all three.
//   node conversations-membership-probe.mjs <ws url> <alice> <bob> <carol tokens> <REST conversations url> <basic auth> [granted]
import WebSocket from "ws";
import { attempt, deadline, next, print, start as startClient } from "./probe.mjs";

globalThis.WebSocket = WebSocket;
const [url, aliceToken, bobToken, carolToken, restConversations, basicAuth, mode] = process.argv.slice(2);
const start = (token) => startClient(token, url);
const finish = deadline();

try {
  const [alice, bob, carol] = await Promise.all([start(aliceToken), start(bobToken), start(carolToken)]);

  const created = await alice.createConversation({ friendlyName: "book club", uniqueName: "book-club", attributes: { topic: "novels" } });
  print("created", { sid: created.sid, createdBy: created.createdBy, friendlyName: created.friendlyName, status: created.status });
  const joined = next(alice, "conversationJoined", (c) => c.sid === created.sid);
  await created.join();
  print("joined", { status: (await joined).status });

  if (mode === "granted") {
    const bobJoined = next(bob, "conversationJoined", (c) => c.sid === created.sid);
    await created.add("bob");
    const bobRoom = await bobJoined;
    const renamed = next(bob, "conversationUpdated", ({ conversation }) => conversation.friendlyName === "reading group");
    await created.updateFriendlyName("reading group");
    print("renamed", { seenByBob: (await renamed).conversation.friendlyName });
    const removed = next(bob, "conversationRemoved", (c) => c.sid === created.sid);
    await created.delete();
    print("deleted", { seenByBob: (await removed).sid === bobRoom.sid });
    await Promise.all([alice.shutdown(), bob.shutdown(), carol.shutdown()]);
    finish();
  }

  // The creator's conversation role, cut by the test to a channel user's, grants neither adding participants nor renaming.
  await attempt("aliceAddsBob", () => created.add("bob").then(() => "added"));
  await attempt("aliceRenames", () => created.updateFriendlyName("hijacked").then(() => "renamed"));
  await attempt("carolGets", () => carol.getConversationBySid(created.sid).then((c) => c.sid));

  // A participant added over REST (as the library would) comes in; Bob's message reaches Alice; Bob leaves.
  const bobJoined = next(bob, "conversationJoined", (c) => c.sid === created.sid);
  const aliceSawBob = next(alice, "participantJoined", (p) => p.identity === "bob");
  const added = await fetch(`${restConversations}/${created.sid}/Participants`, { method: "POST", headers: { authorization: `Basic ${basicAuth}`, "content-type": "application/x-www-form-urlencoded" }, body: "Identity=bob" });
  print("restAdd", { status: added.status });
  const bobRoom = await bobJoined;
  await aliceSawBob;
  const aliceGot = next(alice, "messageAdded", (m) => m.conversation.sid === created.sid);
  await bobRoom.sendMessage("hello book club");
  print("messageAdded", { body: (await aliceGot).body });
  const aliceSawLeave = next(alice, "participantLeft", (p) => p.identity === "bob");
  const bobLeft = next(bob, "conversationLeft", (c) => c.sid === created.sid);
  await bobRoom.leave();
  print("bobLeft", { seenByAlice: (await aliceSawLeave).identity, status: (await bobLeft).status });

  const aliceLeft = next(alice, "conversationLeft", (c) => c.sid === created.sid);
  await created.leave();
  await aliceLeft;
  print("aliceLeft", { subscribed: (await alice.getSubscribedConversations()).items.filter((c) => c.status === "joined").map((c) => c.sid) });

  await Promise.all([alice.shutdown(), bob.shutdown(), carol.shutdown()]);
} catch (e) {
  print("error", { message: e.message ?? String(e), body: e.body ?? null, stack: e.stack });
}
finish();

// What Twilio's own demo front end (twilio-conversations-demo-react) does, through @twilio/conversations against the
// emulator: Alice creates a conversation, joins it and adds Bob (the creator's role); both change their own user info
// and Bob cannot change Alice's; each reacts (message attributes) to their own and the other's message and tries to
// edit the other's body; Alice mutes the conversation and a second client of hers reads it back muted.
// Should the creator be refused, Bob is added over REST so that the rest still runs and reports.
//   node conversations-frontend-probe.mjs <ws url> <alice token> <bob token> <REST conversations url> <basic auth>
import WebSocket from "ws";
import { attempt, deadline, next, print, start as startClient } from "./probe.mjs";

globalThis.WebSocket = WebSocket;
const [url, aliceToken, bobToken, restConversations, basicAuth] = process.argv.slice(2);
const start = (token) => startClient(token, url);
const finish = deadline();
const react = (message, who) => message.updateAttributes({ ...message.attributes, reactions: { thumbs_up: [who] } }).then(() => "reacted");

try {
  const [alice, bob] = await Promise.all([start(aliceToken), start(bobToken)]);

  // 1. The creator joins with the service's conversation-creator role, so may add a participant.
  const room = await alice.createConversation({ friendlyName: "demo room" });
  await room.join();
  const bobJoined = next(bob, "conversationJoined", (c) => c.sid === room.sid);
  await attempt("creatorAddsBob", () => room.add("bob").then(() => "added"));
  if (!(await room.getParticipants()).some((p) => p.identity === "bob")) {
    await fetch(`${restConversations}/${room.sid}/Participants`, { method: "POST", headers: { authorization: `Basic ${basicAuth}`, "content-type": "application/x-www-form-urlencoded" }, body: "Identity=bob" });
  }
  const bobRoom = await bobJoined;
  print("room", { sid: room.sid });

  // 2. Own user info: friendly name and attributes; Bob sees Alice's new name; Bob cannot change Alice's.
  const aliceSeenByBob = await bob.getUser("alice");
  const renamedSeen = next(bob, "userUpdated", ({ user }) => user.identity === "alice" && user.friendlyName === "Alice A.");
  const renamed = await attempt("aliceRenamesHerself", () => alice.user.updateFriendlyName("Alice A.").then(() => "renamed"));
  await attempt("aliceSetsHerAttributes", () => alice.user.updateAttributes({ pronouns: "she" }).then(() => "set"));
  if (renamed) print("bobSawRename", { friendlyName: (await renamedSeen).user.friendlyName });
  await attempt("bobRenamesAlice", () => aliceSeenByBob.updateFriendlyName("hijacked").then(() => "renamed"));
  await attempt("bobRenamesHimself", () => bob.user.updateFriendlyName("Bobby").then(() => "renamed"));

  // 3. Reactions: attribute edits of one's own and the other's message, apart from body edits.
  const bobGotAlice = next(bobRoom, "messageAdded", (m) => m.author === "alice");
  await room.sendMessage("from alice");
  const aliceMessageForBob = await bobGotAlice;
  const aliceGotBob = next(room, "messageAdded", (m) => m.author === "bob");
  await bobRoom.sendMessage("from bob");
  const bobMessageForAlice = await aliceGotBob;
  const bobMessageForBob = (await bobRoom.getMessages(10)).items.find((m) => m.author === "bob");
  const bobSawReaction = next(bobRoom, "messageUpdated", ({ message, updateReasons }) => message.author === "bob" && updateReasons.includes("attributes"));
  if (await attempt("aliceReactsToBob", () => react(bobMessageForAlice, "alice"))) {
    print("bobSawReaction", { lastUpdatedBy: (await bobSawReaction).message.lastUpdatedBy });
  }
  await attempt("bobReactsToAlice", () => react(aliceMessageForBob, "bob"));
  await attempt("bobReactsToOwn", () => react(bobMessageForBob, "bob"));
  await attempt("bobEditsOwnBody", () => bobMessageForBob.updateBody("from bob, edited").then(() => "edited"));
  await attempt("bobEditsAliceBody", () => aliceMessageForBob.updateBody("rewritten by bob").then(() => "edited"));

  // 4. Mute: kept, seen by the SDK as the conversation's notificationLevel, and read back by a new client.
  const muted = next(alice, "conversationUpdated", ({ conversation }) => conversation.sid === room.sid && conversation.notificationLevel === "muted");
  await attempt("aliceMutes", () => room.setUserNotificationLevel("muted").then(() => "muted"));
  const again = await start(aliceToken);
  await again.getSubscribedConversations(); // its list loaded: a shutdown while it loads rejects unhandled in the SDK
  const reread = await again.getConversationBySid(room.sid);
  print("mutedAfterReconnect", { notificationLevel: reread.notificationLevel });
  // Who last changed Alice's message, read afresh by a new client (not from the live event).
  print("aliceMessageReadBack", { lastUpdatedBy: (await reread.getMessages(10)).items.find((m) => m.author === "alice")?.lastUpdatedBy ?? null });
  print("bobLevel", { notificationLevel: bobRoom.notificationLevel });
  print("mutedSeen", { notificationLevel: (await muted).conversation.notificationLevel }); // last: it never comes unless kept

  await Promise.all([alice.shutdown(), again.shutdown(), bob.shutdown()]);
} catch (e) {
  print("error", { message: e.message ?? String(e), body: e.body ?? null, stack: e.stack });
}
finish();

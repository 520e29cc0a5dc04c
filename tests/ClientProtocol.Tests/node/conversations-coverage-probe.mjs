// The rest of @twilio/conversations 3.x's public methods that docs/sdk-coverage.md calls served, each called once
// through the real SDK against the emulator (SdkCoverageTests reads what each printed). Alice creates and joins a
// conversation (its creator: channel admin), adds Bob, and each call prints its label with its value or its refusal.
//   node conversations-coverage-probe.mjs <ws url> <alice token> <bob token>
import WebSocket from "ws";
import { attempt, deadline, next, print, start as startClient } from "./probe.mjs";

globalThis.WebSocket = WebSocket;
const [url, aliceToken, bobToken] = process.argv.slice(2);
const start = (token) => startClient(token, url);
const finish = deadline();

try {
  const [alice, bob] = await Promise.all([start(aliceToken), start(bobToken)]);
  const room = await alice.createConversation({ friendlyName: "coverage", uniqueName: "coverage-room", attributes: { topic: "a" } });
  await room.join();
  const bobAdded = next(bob, "conversationAdded", (c) => c.sid === room.sid);
  const bobJoined = next(bob, "conversationJoined", (c) => c.sid === room.sid);
  await room.add("bob");
  print("conversationAdded", { sid: (await bobAdded).sid === room.sid });
  const bobRoom = await bobJoined;

  // Conversation: by unique name, attributes, unique name, participants.
  await attempt("getConversationByUniqueName", () => alice.getConversationByUniqueName("coverage-room").then((c) => c.sid === room.sid));
  await attempt("getAttributes", () => room.getAttributes());
  // The SDK resolves an update when the server took it; its copy changes with the Sync event that follows.
  const bobSawAttributes = next(bobRoom, "updated", ({ updateReasons }) => updateReasons.includes("attributes"));
  await attempt("updateAttributes", () => room.updateAttributes({ topic: "b" }).then(() => "updated"));
  print("bobSawAttributes", { attributes: (await bobSawAttributes).conversation.attributes });
  const renamed = next(room, "updated", ({ updateReasons }) => updateReasons.includes("uniqueName"));
  await attempt("updateUniqueName", () => room.updateUniqueName("coverage-renamed").then(() => "renamed"));
  print("uniqueName", { value: (await renamed).conversation.uniqueName });
  await attempt("getConversationByUniqueNameAfterRename", () => alice.getConversationByUniqueName("coverage-renamed").then((c) => c.sid === room.sid));
  await room.getParticipants();
  await attempt("getParticipantByIdentity", () => room.getParticipantByIdentity("bob").then((p) => p?.identity ?? null));
  const bobParticipant = await room.getParticipantByIdentity("bob");
  await attempt("getParticipantBySid", () => room.getParticipantBySid(bobParticipant.sid).then((p) => p?.identity ?? null));

  // Typing: Bob sees Alice start, and stop once her message arrives.
  await bobRoom.getParticipants();
  const started = next(bobRoom, "typingStarted", (p) => p.identity === "alice");
  const ended = next(bobRoom, "typingEnded", (p) => p.identity === "alice");
  await room.typing();
  await started;
  await room.sendMessage("typed");
  print("typingEnded", { identity: (await ended).identity });

  // Messages and the read horizon: Bob sends three, Alice counts and moves her horizon.
  const third = next(room, "messageAdded", (m) => m.body === "three");
  for (const body of ["one", "two", "three"]) await bobRoom.sendMessage(body);
  const bobSawHorizon = next(bobRoom, "participantUpdated", ({ participant, updateReasons }) => participant.identity === "alice"
    && updateReasons.includes("lastReadMessageIndex"));
  const message = await third;
  // Both counts come from one answer, which the SDK keeps for http_cache_interval (5 s): asked after the messages.
  await attempt("getParticipantsCount", () => room.getParticipantsCount());
  await attempt("getMessagesCount", () => room.getMessagesCount());
  await attempt("updateLastReadMessageIndex", () => room.updateLastReadMessageIndex(1));
  print("participantUpdated", { lastReadMessageIndex: (await bobSawHorizon).participant.lastReadMessageIndex });
  await attempt("advanceLastReadMessageIndex", () => room.advanceLastReadMessageIndex(2));
  const cleared = next(alice, "conversationUpdated", ({ conversation, updateReasons }) => conversation.sid === room.sid
    && updateReasons.includes("lastReadMessageIndex") && conversation.lastReadMessageIndex === null);
  await attempt("setAllMessagesUnread", () => room.setAllMessagesUnread().then(() => "unread"));
  print("horizonCleared", { lastReadMessageIndex: (await cleared).conversation.lastReadMessageIndex });
  await attempt("getParticipant", () => message.getParticipant().then((p) => p.identity));
  // Delivery receipts are for non-chat participants: a message among chat participants has none.
  await attempt("getDetailedDeliveryReceipts", () => message.getDetailedDeliveryReceipts().then((r) => r.length));
  print("aggregatedDeliveryReceipt", { value: message.aggregatedDeliveryReceipt });

  // Users: a participant's user, the subscribed users, unsubscribing.
  const subscribed = next(alice, "userSubscribed", (u) => u.identity === "bob");
  await attempt("participantGetUser", () => bobParticipant.getUser().then((u) => u.identity));
  print("userSubscribed", { identity: (await subscribed).identity });
  await attempt("getSubscribedUsers", () => alice.getSubscribedUsers().then((users) => users.map((u) => u.identity).sort()));
  const bobUser = await bobParticipant.getUser();
  const unsubscribed = next(alice, "userUnsubscribed", (u) => u.identity === "bob");
  await attempt("unsubscribe", () => bobUser.unsubscribe().then(() => bobUser.isSubscribed));
  print("userUnsubscribed", { identity: (await unsubscribed).identity });

  // A participant's attributes: Bob replaces his own (Alice's copy follows, by both the conversation's and the
  // participant's "updated" events); another's are refused to a chat user.
  const bobsOwn = await bobRoom.getParticipantByIdentity("bob");
  const aliceSawSeat = next(room, "participantUpdated", ({ participant, updateReasons }) => participant.identity === "bob"
    && updateReasons.includes("attributes"));
  const participantUpdated = next(bobParticipant, "updated", ({ updateReasons }) => updateReasons.includes("attributes"));
  await attempt("participantUpdateAttributes", () => bobsOwn.updateAttributes({ seat: 3 }).then((p) => p.identity));
  print("aliceSawSeat", { attributes: (await aliceSawSeat).participant.attributes });
  print("participantObjectUpdated", { attributes: (await participantUpdated).participant.attributes });
  const aliceInBobsRoom = await bobRoom.getParticipantByIdentity("alice");
  await attempt("othersParticipantUpdateAttributes", () => aliceInBobsRoom.updateAttributes({ seat: 4 }).then(() => "updated"));
  await attempt("aliceAttributesKept", () => room.getParticipantByIdentity("alice").then((p) => p.attributes));

  // An SMS participant added by the creator; then Bob removed by her.
  await attempt("addNonChatParticipant", () => room.addNonChatParticipant("+15550000000", "+15551234567").then(() => "added"));
  // A message texted to the SMS participant has its receipt: sent (the emulator's outbox delivers nothing further).
  const texted = next(room, "messageAdded", (m) => m.body === "to the phone");
  await room.sendMessage("to the phone");
  await attempt("smsDeliveryReceipts", async () => (await (await texted).getDetailedDeliveryReceipts())
    .map((r) => ({ status: r.status, participantSid: r.participantSid, channelMessageSid: r.channelMessageSid, messageSid: r.messageSid })));
  // Its aggregated receipt, as the message arrived in the messages list: one text, sent.
  const aggregated = (await texted).aggregatedDeliveryReceipt;
  print("smsAggregatedDeliveryReceipt", { value: aggregated && { total: aggregated.total, sent: aggregated.sent, delivered: aggregated.delivered,
    read: aggregated.read, undelivered: aggregated.undelivered, failed: aggregated.failed } });
  const smsParticipant = (await room.getParticipants()).find((p) => p.type === "sms");
  print("smsParticipant", { sid: smsParticipant?.sid ?? null });
  const bobLeft = next(bob, "conversationLeft", (c) => c.sid === room.sid);
  await attempt("removeParticipant", () => room.removeParticipant("bob").then(() => "removed"));
  print("bobLeft", { status: (await bobLeft).status });

  // Push registrations: accepted and forgotten (nothing is pushed).
  await attempt("setPushRegistrationId", () => alice.setPushRegistrationId("fcm", "emulated-device-token").then(() => "registered"));
  await attempt("unsetPushRegistrationId", () => alice.unsetPushRegistrationId("fcm").then(() => "unregistered"));
  // Removing a device's registrations outright (by its token, outside the SDK's registration state): accepted.
  await attempt("removePushRegistrations", () => alice.removePushRegistrations("fcm", "emulated-device-token").then(() => "removed"));

  await Promise.all([alice.shutdown(), bob.shutdown()]);
} catch (e) {
  print("error", { message: e.message ?? String(e), body: e.body ?? null, stack: e.stack });
}
finish();

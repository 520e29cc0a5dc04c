// Twilio's own @twilio/conversations client registering a device for push and taking it back, for PushRegistrationTests:
// the test reads the emulator's inspector between the steps (it answers "go" on stdin when it has seen each).
//   node conversations-push-probe.mjs <ws url> <token> <device token>
import WebSocket from "ws";
import { attempt, deadline, fromTest, print, start } from "./probe.mjs";

globalThis.WebSocket = WebSocket;
const [url, token, deviceToken] = process.argv.slice(2);
const finish = deadline();

try {
  const client = await start(token, url);
  await attempt("setPushRegistrationId", () => client.setPushRegistrationId("fcm", deviceToken).then(() => "registered"));
  await fromTest("go");
  await attempt("unsetPushRegistrationId", () => client.unsetPushRegistrationId("fcm").then(() => "unregistered"));
  await fromTest("go");
  await client.shutdown();
} catch (e) {
  print("error", { message: e.message ?? String(e), stack: e.stack });
}
finish();

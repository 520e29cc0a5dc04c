// @twilio/conversations 1.1.0, the version the tutorial's front end pins, against the emulator: what the app sees when
// it connects (Client.create resolves, or rejects with an error the app can show), never a silent hang.
//   node conversations-v1-probe.mjs <ws url> <token>
import WebSocket from "ws";
import { createRequire } from "node:module";

globalThis.WebSocket = WebSocket;
const require = createRequire(import.meta.url);
const { Client } = require("@twilio/conversations");
const print = (event, data = {}) => process.stdout.write(JSON.stringify({ event, ...data }) + "\n");
const [url, token] = process.argv.slice(2);
// Ends a run the SDK never settles (the fault under test) with "timeout" and exit 2; the test sees it as a failure.
const timer = setTimeout(() => { print("timeout"); process.exit(2); }, 60_000);

const states = [];
try {
  const client = await Client.create(token, { Twilsock: { uri: url }, logLevel: "silent" });
  client.on("connectionStateChanged", (state) => states.push(state));
  print("created", { connectionState: client.connectionState });
  await client.shutdown();
} catch (e) {
  print("refused", { message: e.message ?? String(e), states });
}
clearTimeout(timer);
print("done");
process.exit(0);

// Drives Twilio's own twilsock client (the transport inside @twilio/conversations) against a server under test and
// prints what it saw, one JSON object a line, for tests/ClientProtocol.Tests to assert on.
//   node twilsock-probe.mjs <scenario> <ws url> <token> [second token]
import WebSocket from "ws";
import twilsock from "twilsock";

globalThis.WebSocket = WebSocket;
const { TwilsockClient } = twilsock;

const [scenario, url, token, secondToken] = process.argv.slice(2);
const print = (event, data = {}) => process.stdout.write(JSON.stringify({ event, ...data }) + "\n");
const api = "http://emulator.test/chat";

// Bounded in time: whatever happens, the probe ends.
const deadline = setTimeout(() => { print("timeout"); process.exit(2); }, 90_000);

const client = new TwilsockClient(token, "ip_messaging", { twilsock: { uri: url }, logLevel: "silent" });
const states = [];
const waiters = [];
const waitFor = (predicate) => new Promise((resolve) => {
  if (predicate()) { resolve(); return; }
  waiters.push({ predicate, resolve });
});
const wake = () => { for (const w of waiters.splice(0)) { if (w.predicate()) w.resolve(); else waiters.push(w); } };
let aboutToExpire = 0;
let expired = 0;
client.on("stateChanged", (state) => { states.push(state); print("state", { state }); wake(); });
client.on("tokenAboutToExpire", () => { aboutToExpire++; print("tokenAboutToExpire"); wake(); });
client.on("tokenExpired", () => { expired++; print("tokenExpired"); wake(); });
client.on("connectionError", (e) => print("connectionError", { terminal: e.terminal, httpStatusCode: e.httpStatusCode, errorCode: e.errorCode }));
client.on("message", (type, payload) => { print("notification", { type, payload }); wake(); });

const request = async (label, call) => {
  try {
    const response = await call();
    print(label, { status: response.status, body: response.body });
  } catch (e) {
    print(label, { error: e.message, status: e.status ?? null, body: e.body ?? null });
  }
};

const done = async () => {
  clearTimeout(deadline);
  await client.disconnect().catch(() => {});
  print("done");
  process.exit(0);
};

client.connect();

switch (scenario) {
  case "requests": {
    await waitFor(() => states.includes("connected"));
    await request("get", () => client.get(`${api}/Echo/a%2Fb?x=1&y=2&y=3`, {}));
    await request("post", () => client.post(`${api}/Echo`, { "Content-Type": "application/json" }, JSON.stringify({ hello: "wörld ✓" })));
    await request("notfound", () => client.get(`${api}/Status/404`, {}));
    await request("big", () => client.post(`${api}/Echo`, { "Content-Type": "application/json" }, JSON.stringify({ body: "x".repeat(700 * 1024) })));
    await request("afterBig", () => client.get(`${api}/Echo/still-here`, {}));
    await request("notify", () => client.post(`${api}/Notify`, { "Content-Type": "application/json" }, JSON.stringify({ text: "pushed" })));
    await new Promise((r) => setTimeout(r, 300));
    await done();
    break;
  }
  case "denied":
  case "verdict": { // "verdict" also ends once connected, for a token that should be accepted
    await waitFor(() => states.includes("denied") || states.includes("disconnected") || (scenario === "verdict" && states.includes("connected")));
    await new Promise((r) => setTimeout(r, 200)); // the client re-emits its errors on later ticks
    await done();
    break;
  }
  case "renew": {
    await waitFor(() => aboutToExpire > 0);
    await client.updateToken(secondToken).then(() => print("updated"), (e) => print("updateFailed", { error: e.message }));
    await request("afterUpdate", () => client.get(`${api}/Echo/renewed`, {}));
    // Past the first token's expiry: the renewed token keeps the connection.
    await new Promise((r) => setTimeout(r, 3000));
    print("stillConnected", { state: client.state, expired });
    await done();
    break;
  }
  case "expire": {
    await waitFor(() => expired > 0);
    await waitFor(() => client.state !== "connected");
    print("final", { state: client.state });
    await done();
    break;
  }
  default:
    print("unknown scenario");
    process.exit(1);
}

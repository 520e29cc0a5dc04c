// What every probe shares: one JSON line per event on stdout (the test reads them), the test's answers on stdin, a
// deadline that ends a hung run, and Twilio's own Conversations client started against the emulator's twilsock endpoint.
import { createInterface } from "node:readline";
import { Client } from "@twilio/conversations";

export const print = (event, data = {}) => process.stdout.write(JSON.stringify({ event, ...data }) + "\n");

let fromTestLines;

/** Waits for the test to write the line `word` on stdin (NodeProbe.Conversation.SendAsync); anything else throws. */
export async function fromTest(word) {
  fromTestLines ??= createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const { value, done } = await fromTestLines.next();
  if (done || value.trim() !== word) throw new Error(`expected "${word}" from the test, got ${done ? "the end of stdin" : JSON.stringify(value)}`);
}

/** Ends the run with "timeout" and exit 2 after `ms`; returns what ends it normally ("done", exit 0). */
export function deadline(ms = 90_000) {
  const timer = setTimeout(() => { print("timeout"); process.exit(2); }, ms);
  return () => { clearTimeout(timer); print("done"); process.exit(0); };
}

/** A Client for `token` on the twilsock `uri`, once initialized; `setUp` sees it before it connects. */
export const start = (token, uri, setUp = () => {}) => new Promise((resolve, reject) => {
  const client = new Client(token, { Twilsock: { uri }, logLevel: "silent" });
  setUp(client);
  client.on("stateChanged", (state) => {
    if (state === "initialized") resolve(client);
    if (state === "failed") reject(new Error("failed to initialise"));
  });
});

/** The next `event` from `emitter` that `accept` takes. */
export const next = (emitter, event, accept = () => true) => new Promise((resolve) => {
  const listener = (value) => { if (accept(value)) { emitter.off(event, listener); resolve(value); } };
  emitter.on(event, listener);
});

/** Prints `label` with the call's value, or with its error: for calls that may be refused. Returns whether it succeeded. */
export const attempt = async (label, call) => {
  try { print(label, { ok: true, value: await call() }); return true; } catch (e) { print(label, { ok: false, error: e.message ?? String(e) }); return false; }
};

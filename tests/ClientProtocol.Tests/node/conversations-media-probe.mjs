// Twilio's own @twilio/conversations client sends and reads media on the emulator's media service: alice sends a PNG
// and a PDF with the message builder, and an HTML page with sendMessage; bob receives them and reads each file through
// the SDK's temporary content URLs (one by one, and as a media set); carol, no participant, asks for the same files.
// Prints each file's SHA-256 as read, for the test to compare with what was sent.
//   node conversations-media-probe.mjs <ws url> <alice> <bob> <carol tokens> <conversation sid> <png path> <pdf path> <html path>
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import WebSocket from "ws";
import { attempt, deadline, next, print, start } from "./probe.mjs";

globalThis.WebSocket = WebSocket;
const [url, aliceToken, bobToken, carolToken, conversationSid, pngPath, pdfPath, htmlPath] = process.argv.slice(2);
const finish = deadline(60_000);
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
const download = async (contentUrl) => {
  const response = await fetch(contentUrl);
  return { status: response.status, sha256: sha256(Buffer.from(await response.arrayBuffer())) };
};
const described = (m) => ({ sid: m.sid, filename: m.filename, contentType: m.contentType, size: m.size, category: m.category });

try {
  const alice = await start(aliceToken, url);
  const bob = await start(bobToken, url);
  const carol = await start(carolToken, url);
  const aliceRoom = await alice.getConversationBySid(conversationSid);
  const bobRoom = await bob.getConversationBySid(conversationSid);
  let carolSaw = 0;
  carol.on("messageAdded", () => carolSaw++);

  const pictures = next(bobRoom, "messageAdded", (m) => m.attachedMedia?.length === 2);
  const index = await aliceRoom.prepareMessage()
    .setBody("a picture and a document")
    .addMedia({ contentType: "image/png", filename: "dot.png", media: await readFile(pngPath) })
    .addMedia({ contentType: "application/pdf", filename: "notes.pdf", media: await readFile(pdfPath) })
    .build()
    .send();
  const received = await pictures;
  print("received", { index, sentIndex: received.index, body: received.body, type: received.type, media: received.attachedMedia.map(described) });
  for (const media of received.attachedMedia) {
    print("download", { sid: media.sid, ...(await download(await media.getContentTemporaryUrl())) });
  }

  const set = await received.getTemporaryContentUrlsForAttachedMedia();
  for (const [sid, contentUrl] of set) {
    print("setDownload", { sid, ...(await download(contentUrl)) });
  }

  const page = next(bobRoom, "messageAdded", (m) => m.attachedMedia?.length === 1);
  await aliceRoom.sendMessage({ contentType: "text/html", filename: "page.html", media: await readFile(htmlPath) });
  const html = await page;
  print("html", { body: html.body, media: html.attachedMedia.map(described), url: await html.attachedMedia[0].getContentTemporaryUrl() });

  const sids = received.attachedMedia.map((m) => m.sid);
  await attempt("carolSet", () => carol.getTemporaryContentUrlsForMediaSids(sids).then((urls) => [...urls.values()]));
  await attempt("carolConversation", () => carol.getConversationBySid(conversationSid).then((c) => c.sid));
  print("carolSaw", { count: carolSaw });
  await Promise.all([alice.shutdown(), bob.shutdown(), carol.shutdown()]);
} catch (e) {
  print("error", { message: e.message ?? String(e), stack: e.stack });
}
finish();

// Twilio's official demo, as published but for its Twilsock.uri, against the emulator: two users in Chromium create a
// conversation, add each other, exchange a message and a picture. Prints one line per step (ok or FAIL) and exits 1
// if any failed. Usage: node demo-check.mjs DEMO_URL EMULATOR_URL DATA_DIR PICTURE.png
import { chromium } from 'playwright-core';
import fs from 'node:fs';

const [demo, emulator, dataDir, picture] = process.argv.slice(2);
const name = 'demo-' + Date.now().toString(36);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'],
});
let failed = 0;
const step = async (label, run) => {
  try { await run(); console.log('ok  ', label); } catch (e) { failed++; console.log('FAIL', label, e.message.split('\n')[0]); }
};

async function signIn(identity) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(demo);
  await page.fill('#username', identity);
  await page.fill('#password', 'any');
  await page.click('#login');
  await page.getByText('Create New Conversation').waitFor({ timeout: 30000 });
  return page;
}

try {
  const alice = await signIn('alice');
  await step('alice creates a conversation', async () => {
    await alice.getByText('Create New Conversation').click();
    await alice.getByPlaceholder(/./).last().fill(name);
    await alice.getByRole('button', { name: 'Save' }).click();
    await alice.getByText(name).first().waitFor({ timeout: 15000 });
  });
  await step('alice (its creator) adds bob', async () => {
    await alice.getByRole('button', { name: /Add participants/i }).click();
    await alice.getByRole('button', { name: 'Add Participant' }).click();
    await alice.getByRole('menuitem', { name: /Chat/ }).click();
    await alice.locator('input').last().fill('bob');
    await alice.getByRole('button', { name: 'Save' }).click();
    await alice.keyboard.press('Escape');
  });
  const bob = await signIn('bob');
  await step('bob sees the conversation in his list', () => bob.getByText(name).first().waitFor({ timeout: 15000 }));
  await step('bob sends a message, alice sees it', async () => {
    await bob.getByText(name).first().click();
    await bob.locator('[contenteditable=true]').click();
    await bob.keyboard.type('hello alice');
    await bob.keyboard.press('Enter');
    await alice.getByText('hello alice').first().waitFor({ timeout: 15000 });
  });
  await step('alice attaches a picture and sends it, bob sees it', async () => {
    await alice.locator('input[type=file]').first().setInputFiles(picture);
    await alice.getByText('Send', { exact: true }).click();
    const image = bob.locator('img[src^="blob:"]').first();
    await image.waitFor({ timeout: 20000 });
    const width = await image.evaluate(img => img.complete ? img.naturalWidth : 0);
    if (width === 0) throw new Error('the picture did not load');
  });
  await step('the picture is stored as a message with media (REST)', async () => {
    const c = JSON.parse(fs.readFileSync(`${dataDir}/emulator-credentials.json`, 'utf8'));
    const auth = 'Basic ' + Buffer.from(`${c.apiKeySid}:${c.apiKeySecret}`).toString('base64');
    const list = await (await fetch(`${emulator}/v1/Conversations?PageSize=100`, { headers: { authorization: auth } })).json();
    const sid = list.conversations.find(x => x.friendly_name === name).sid;
    const messages = await (await fetch(`${emulator}/v1/Conversations/${sid}/Messages`, { headers: { authorization: auth } })).json();
    const media = messages.messages.flatMap(m => m.media ?? []);
    if (media.length !== 1 || media[0].size !== fs.statSync(picture).size) throw new Error(`media: ${JSON.stringify(media)}`);
  });
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);

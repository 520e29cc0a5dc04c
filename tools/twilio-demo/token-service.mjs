// A token service for Twilio's demo on the emulator: what a real back end does, with Twilio's own node SDK.
import http from 'node:http';
import fs from 'node:fs';
import twilio from 'twilio';
const [dataDir, emulator, port] = process.argv.slice(2);
const c = JSON.parse(fs.readFileSync(`${dataDir}/emulator-credentials.json`, 'utf8'));
const auth = 'Basic ' + Buffer.from(`${c.apiKeySid}:${c.apiKeySecret}`).toString('base64');
const config = await (await fetch(`${emulator}/v1/Configuration`, { headers: { authorization: auth } })).json();
const serviceSid = config.default_chat_service_sid;
http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const identity = url.searchParams.get('identity');
  const token = new twilio.jwt.AccessToken(c.accountSid, c.apiKeySid, c.apiKeySecret, { identity, ttl: 3600 });
  token.addGrant(new twilio.jwt.AccessToken.ChatGrant({ serviceSid }));
  res.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
  res.end(token.toJwt());
}).listen(Number(port), '127.0.0.1', () => console.log(`token service on ${port} for ${serviceSid}`));

import { forgetAntiforgeryToken, postJson } from '@/lib/api-client';
import { isRecord } from '@/lib/values';

/**
 * The options the host says to pass to the chat SDK's `Client`: `{}` on Twilio, `{ Twilsock: { uri } }` on the
 * emulator. The client has no mode of its own: whatever the host names is where it connects.
 */
export type ChatSdkOptions = { Twilsock?: { uri: string } };

/** What the web host's POST /login answers, parsed. */
export type Session = {
  identity: string;
  token: string;
  /** ISO 8601. */
  expiresAt: string;
  chatClientOptions: ChatSdkOptions;
  rooms: { name: string; sid: string }[];
};

export type RefreshedToken = {
  token: string;
  expiresAt: string;
};

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || !value) throw new Error(`The server's answer lacks "${field}".`);
  return value;
}

/** Keeps the one option the client passes on, the twilsock address, when it is a string; anything else is dropped. */
function readChatClientOptions(value: unknown): ChatSdkOptions {
  if (!isRecord(value) || !isRecord(value.Twilsock)) return {};
  const uri = value.Twilsock.uri;
  return typeof uri === 'string' && uri ? { Twilsock: { uri } } : {};
}

export function parseSession(body: unknown, username: string): Session {
  if (!isRecord(body)) throw new Error('The server gave an unreadable answer.');
  const chatrooms = Array.isArray(body.chatrooms) ? (body.chatrooms as unknown[]) : [];
  const rooms = chatrooms.flatMap((pair) =>
    Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string'
      ? [{ name: pair[0], sid: pair[1] }]
      : [],
  );
  return {
    identity: typeof body.identity === 'string' && body.identity ? body.identity : username,
    token: requireString(body, 'token'),
    expiresAt: typeof body.expiresAt === 'string' ? body.expiresAt : new Date(Date.now() + 3600_000).toISOString(),
    chatClientOptions: readChatClientOptions(body.chatClientOptions),
    rooms,
  };
}

/** POST /login with a password: signs in (the session cookie) and answers with the rooms and the token. */
export async function signIn(username: string, password: string): Promise<Session> {
  const body = await postJson('/login', { username, password });
  forgetAntiforgeryToken(); // it belonged to nobody; the next call fetches one for the signed-in user
  return parseSession(body, username);
}

/** POST /account: a new account, signed in at once; then its session. */
export async function createAccount(username: string, password: string): Promise<Session> {
  await postJson('/account', { username, password });
  forgetAntiforgeryToken();
  return resumeSession();
}

/** POST /login without credentials: the rooms and token of the session the cookie carries (401 when there is none). */
export async function resumeSession(): Promise<Session> {
  return parseSession(await postJson('/login', {}), '');
}

/** POST /logout: the session ends on the server, so its cookie is worthless from now on. */
export async function signOut(): Promise<void> {
  try {
    await postJson('/logout');
  } finally {
    forgetAntiforgeryToken();
  }
}

/** POST /token: a fresh token for the session's user, while the session lasts. */
export async function refreshToken(): Promise<RefreshedToken> {
  const body = await postJson('/token');
  if (!isRecord(body)) throw new Error('The server gave an unreadable answer.');
  return { token: requireString(body, 'token'), expiresAt: requireString(body, 'expiresAt') };
}

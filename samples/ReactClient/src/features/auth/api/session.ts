import { postJson } from '@/lib/api-client';
import { isRecord } from '@/lib/chat-client';

export type Backend = 'emulator' | 'twilio';

/** What the web host's POST /login answers, parsed. */
export type Session = {
  identity: string;
  token: string;
  /** ISO 8601. */
  expiresAt: string;
  backend: Backend;
  emulatorHubUrl: string;
  rooms: { name: string; sid: string }[];
};

export type RefreshedToken = {
  token: string;
  expiresAt: string;
};

const defaultHubUrl = '/emulator/hub';

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || !value) throw new Error(`The server's answer lacks "${field}".`);
  return value;
}

export function parseSession(body: unknown, username: string): Session {
  if (!isRecord(body)) throw new Error('The server gave an unreadable answer.');
  const chatrooms = Array.isArray(body.chatrooms) ? (body.chatrooms as unknown[]) : [];
  const rooms = chatrooms.flatMap((pair) =>
    Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string'
      ? [{ name: pair[0], sid: pair[1] }]
      : [],
  );
  const hub = body.emulatorHubUrl;
  return {
    identity: typeof body.identity === 'string' && body.identity ? body.identity : username,
    token: requireString(body, 'token'),
    expiresAt: typeof body.expiresAt === 'string' ? body.expiresAt : new Date(Date.now() + 3600_000).toISOString(),
    backend: body.backend === 'twilio' ? 'twilio' : 'emulator',
    emulatorHubUrl: typeof hub === 'string' && hub ? hub : defaultHubUrl,
    rooms,
  };
}

export async function login(username: string): Promise<Session> {
  return parseSession(await postJson('/login', { username }), username);
}

/** POST /token with the current token as Bearer: a fresh token for the same identity. */
export async function refreshToken(currentToken: string): Promise<RefreshedToken> {
  const body = await postJson('/token', undefined, { Authorization: `Bearer ${currentToken}` });
  if (!isRecord(body)) throw new Error('The server gave an unreadable answer.');
  return { token: requireString(body, 'token'), expiresAt: requireString(body, 'expiresAt') };
}

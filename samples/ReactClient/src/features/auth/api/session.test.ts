import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { forgetAntiforgeryToken } from '@/lib/api-client';

import { passkeyApi, type WebAuthn } from './passkeys';
import { createAccount, parseSession, refreshToken, signIn, signOut } from './session';

type Call = { url: string; method: string; headers: Record<string, string>; body: unknown; credentials: unknown };

/** A fake host: answers by URL and records each call; every /antiforgery call hands out a new token. */
function stubHost(answers: Record<string, unknown>) {
  const calls: Call[] = [];
  let issued = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({
        url,
        method: init.method ?? 'GET',
        headers: (init.headers ?? {}) as Record<string, string>,
        body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
        credentials: init.credentials,
      });
      if (url === '/antiforgery') return Response.json({ token: `xsrf-${++issued}`, headerName: 'X-XSRF-TOKEN' });
      const answer = answers[url];
      return answer === undefined ? new Response(null, { status: 204 }) : Response.json(answer);
    }),
  );
  return calls;
}

const loginAnswer = { chatrooms: [['general', 'CH1']], token: 't1', identity: 'bob', expiresAt: '2026-11-25T12:00:00Z', chatClientOptions: {} };

beforeEach(() => forgetAntiforgeryToken());
afterEach(() => vi.unstubAllGlobals());

describe('session api', () => {
  it('parses the login answer with the SDK options the host names', () => {
    const parsed = parseSession(
      {
        chatrooms: [['general', 'CH1']],
        token: 't',
        identity: 'alice',
        expiresAt: '2026-11-25T12:00:00+00:00',
        chatClientOptions: { Twilsock: { uri: '/emulator/twilsock' }, region: 'ignored' },
      },
      'alice',
    );
    expect(parsed).toEqual({
      identity: 'alice',
      token: 't',
      expiresAt: '2026-11-25T12:00:00+00:00',
      chatClientOptions: { Twilsock: { uri: '/emulator/twilsock' } },
      rooms: [{ name: 'general', sid: 'CH1' }],
    });
  });

  it('passes no SDK options on when the host names none or an unreadable one', () => {
    expect(parseSession({ token: 't' }, 'a').chatClientOptions).toEqual({});
    expect(parseSession({ token: 't', chatClientOptions: { Twilsock: { uri: 5 } } }, 'a').chatClientOptions).toEqual({});
  });

  it('signs in with the antiforgery token, then fetches a new one for the signed-in user', async () => {
    const calls = stubHost({ '/login': loginAnswer, '/token': { token: 't2', identity: 'bob', expiresAt: '2026-11-25T13:00:00Z' } });

    expect((await signIn('bob', 'Secr3t!')).token).toBe('t1');
    expect(await refreshToken()).toEqual({ token: 't2', expiresAt: '2026-11-25T13:00:00Z' });

    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /antiforgery', 'POST /login', 'GET /antiforgery', 'POST /token']);
    expect(calls[1]).toMatchObject({ body: { username: 'bob', password: 'Secr3t!' }, headers: { 'X-XSRF-TOKEN': 'xsrf-1' } });
    expect(calls[3]?.headers).toMatchObject({ 'X-XSRF-TOKEN': 'xsrf-2' });
    expect(calls[3]?.headers).not.toHaveProperty('Authorization');
    expect(calls.every((c) => c.credentials === 'same-origin')).toBe(true);
  });

  it('creates an account, then asks for its session', async () => {
    const calls = stubHost({ '/login': loginAnswer });

    expect((await createAccount('bob', 'Secr3t!')).identity).toBe('bob');

    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /antiforgery', 'POST /account', 'GET /antiforgery', 'POST /login']);
    expect(calls[3]?.body).toEqual({});
  });

  it('signs out and forgets the antiforgery token', async () => {
    const calls = stubHost({});
    await signOut();
    await signOut();
    expect(calls.filter((c) => c.url === '/antiforgery')).toHaveLength(2);
    expect(calls.filter((c) => c.url === '/logout')).toHaveLength(2);
  });

  it('signs in with a passkey: options, the authenticator, the credential, then the session', async () => {
    const options = { challenge: 'abc', rpId: 'localhost' };
    const credential = { id: 'cred', type: 'public-key' };
    const calls = stubHost({ '/login/passkey/options': options, '/login': loginAnswer });
    const webAuthn: WebAuthn = { isSupported: () => true, create: vi.fn(), get: vi.fn(async () => credential) };

    expect((await passkeyApi.signIn(webAuthn)).identity).toBe('bob');

    expect(webAuthn.get).toHaveBeenCalledWith(options);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /antiforgery',
      'POST /login/passkey/options',
      'POST /login/passkey',
      'GET /antiforgery',
      'POST /login',
    ]);
    expect(calls[2]?.body).toEqual({ credential });
  });

  it('adds and removes a passkey of the account', async () => {
    const calls = stubHost({
      '/account/passkeys/options': { challenge: 'xyz' },
      '/account/passkeys': { id: 'AQID', name: 'Passkey 1', createdAt: '2026-12-01T00:00:00Z' },
    });
    const webAuthn: WebAuthn = { isSupported: () => true, create: vi.fn(async () => ({ id: 'new' })), get: vi.fn() };

    expect(await passkeyApi.add(webAuthn)).toEqual({ id: 'AQID', name: 'Passkey 1', createdAt: '2026-12-01T00:00:00Z' });
    await passkeyApi.remove('AQID');

    expect(webAuthn.create).toHaveBeenCalledWith({ challenge: 'xyz' });
    expect(calls.slice(1).map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /account/passkeys/options',
      'POST /account/passkeys',
      'DELETE /account/passkeys/AQID',
    ]);
    expect(calls[2]?.body).toEqual({ credential: { id: 'new' } });
  });
});

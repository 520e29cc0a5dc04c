import { afterEach, describe, expect, it, vi } from 'vitest';

import { login, parseSession, refreshToken } from './session';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('session api', () => {
  it('parses the login answer, defaulting the hub url', () => {
    const parsed = parseSession(
      {
        chatrooms: [['general', 'CH1']],
        token: 't',
        identity: 'alice',
        expiresAt: '2026-11-25T12:00:00+00:00',
        backend: 'emulator',
        emulatorHubUrl: null,
      },
      'alice',
    );
    expect(parsed).toEqual({
      identity: 'alice',
      token: 't',
      expiresAt: '2026-11-25T12:00:00+00:00',
      backend: 'emulator',
      emulatorHubUrl: '/emulator/hub',
      rooms: [{ name: 'general', sid: 'CH1' }],
    });
  });

  it('posts the username and the bearer token', async () => {
    const fetchMock = vi.fn(async (url: string) =>
      Response.json(
        url === '/login'
          ? { chatrooms: [], token: 't1', identity: 'bob', expiresAt: '2026-11-25T12:00:00Z', backend: 'twilio' }
          : { token: 't2', identity: 'bob', expiresAt: '2026-11-25T13:00:00Z' },
      ),
    );
    vi.stubGlobal('fetch', fetchMock);

    expect((await login('bob')).backend).toBe('twilio');
    expect(await refreshToken('t1')).toEqual({ token: 't2', expiresAt: '2026-11-25T13:00:00Z' });
    const [, loginInit] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(JSON.parse(String(loginInit.body))).toEqual({ username: 'bob' });
    const [, init] = fetchMock.mock.calls[1] as unknown as [string, RequestInit];
    expect(init.headers).toMatchObject({ Authorization: 'Bearer t1' });
  });
});

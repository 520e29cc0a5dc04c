import { afterEach, describe, expect, it, vi } from 'vitest';

import { forgetAntiforgeryToken } from '@/lib/api-client';

import { createHostApi, parseRoomList } from './host-api';

afterEach(() => {
  vi.unstubAllGlobals();
  forgetAntiforgeryToken();
});

describe('createHostApi', () => {
  type Call = { url: string; method: string; headers: Record<string, string>; body: unknown };

  function stubFetch(answer: (call: Call) => Response) {
    const calls: Call[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        const call = {
          url,
          method: init.method ?? 'GET',
          headers: init.headers as Record<string, string>,
          body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
        };
        if (url === '/antiforgery') return json({ token: 'xsrf' });
        calls.push(call);
        return answer(call);
      }),
    );
    return calls;
  }

  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  const problem = (body: unknown, status: number) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/problem+json' } });

  const api = () => createHostApi();

  it('lists every room with GET /rooms', async () => {
    const calls = stubFetch(() => json({ rooms: [{ name: 'general', sid: 'CH1' }, { name: 'random', sid: 'CH2' }, { bad: 1 }] }));
    expect(await api().listRooms()).toEqual([
      { name: 'general', sid: 'CH1' },
      { name: 'random', sid: 'CH2' },
    ]);
    expect(calls).toMatchObject([{ url: '/rooms', method: 'GET' }]);
  });

  it('joins in the session with the antiforgery token and reads the room', async () => {
    const calls = stubFetch(() => json({ name: 'random', sid: 'CH2' }));
    const host = api();
    expect(await host.joinRoom('random')).toEqual({ name: 'random', sid: 'CH2' });
    expect(calls).toEqual([
      {
        url: '/rooms/join',
        method: 'POST',
        headers: expect.objectContaining({ 'X-XSRF-TOKEN': 'xsrf', 'Content-Type': 'application/json' }),
        body: { room: 'random' },
      },
    ]);
  });

  it('leaves with POST /rooms/leave and accepts an empty 204', async () => {
    const calls = stubFetch(() => new Response(null, { status: 204 }));
    await expect(api().leaveRoom('random')).resolves.toBeUndefined();
    expect(calls).toMatchObject([
      { url: '/rooms/leave', method: 'POST', headers: { 'X-XSRF-TOKEN': 'xsrf' }, body: { room: 'random' } },
    ]);
  });

  it('opens a private conversation with another user', async () => {
    const calls = stubFetch(() =>
      json({ sid: 'CH9', uniqueName: 'private:alice:bob', friendlyName: 'alice, bob', members: ['alice', 'bob'] }),
    );
    expect(await api().openPrivateConversation('bob')).toEqual({
      sid: 'CH9',
      uniqueName: 'private:alice:bob',
      friendlyName: 'alice, bob',
      members: ['alice', 'bob'],
    });
    expect(calls).toMatchObject([
      { url: '/private-conversations', method: 'POST', headers: { 'X-XSRF-TOKEN': 'xsrf' }, body: { with: 'bob' } },
    ]);
  });

  it('throws the problem+json field error, detail or title of a refusal', async () => {
    stubFetch((call) =>
      call.url === '/rooms/join'
        ? problem({ title: 'One or more validation errors occurred.', status: 400, errors: { room: ['The room "nope" does not exist.'] } }, 400)
        : call.url === '/rooms/leave'
          ? problem({ title: 'Not a member', status: 409, detail: 'alice is not in random.' }, 409)
          : problem({ title: 'Unauthorized', status: 401 }, 401),
    );
    await expect(api().joinRoom('nope')).rejects.toMatchObject({ status: 400, message: 'The room "nope" does not exist.' });
    await expect(api().leaveRoom('random')).rejects.toMatchObject({ status: 409, message: 'alice is not in random.' });
    await expect(api().openPrivateConversation('bob')).rejects.toMatchObject({ status: 401, message: 'Unauthorized' });
  });

  it('refuses an answer of the wrong shape', async () => {
    stubFetch(() => json({ nothing: true }));
    await expect(api().joinRoom('random')).rejects.toThrow('unreadable');
    await expect(api().openPrivateConversation('bob')).rejects.toThrow('unreadable');
    await expect(api().listRooms()).rejects.toThrow('unreadable');
  });

  it('opens the room events stream at /rooms/events', () => {
    const source = { readyState: 0, addEventListener: vi.fn(), removeEventListener: vi.fn(), close: vi.fn() };
    const factory = vi.fn(() => source);
    expect(createHostApi({ eventSourceFactory: factory }).openRoomEvents()).toBe(source);
    expect(factory).toHaveBeenCalledWith('/rooms/events');
  });
});

describe('parseRoomList', () => {
  it('keeps the well-formed rooms and refuses what is not a list', () => {
    expect(parseRoomList([{ name: 'a', sid: 'CH1' }, { name: 2, sid: 'CH2' }, null])).toEqual([{ name: 'a', sid: 'CH1' }]);
    expect(() => parseRoomList({ rooms: [] })).toThrow();
  });
});

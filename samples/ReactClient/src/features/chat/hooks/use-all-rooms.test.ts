import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { deferred, FakeHostApi } from '@/testing/fake-chat-client';
import type { HostRoom } from '@/lib/api-client';

import { useAllRooms } from './use-all-rooms';

describe('useAllRooms', () => {
  it('shows the list of each rooms event of the stream', async () => {
    const host = new FakeHostApi();
    const { result } = renderHook(() => useAllRooms(host));
    await act(async () => undefined);

    expect(host.openRoomEvents).toHaveBeenCalledOnce();
    act(() => host.source.sendRooms([{ name: 'general', sid: 'CH1' }]));
    expect(result.current).toEqual([{ name: 'general', sid: 'CH1' }]);
    act(() => host.source.sendRooms([{ name: 'general', sid: 'CH1' }, { name: 'music', sid: 'CH3' }]));
    expect(result.current).toEqual([
      { name: 'general', sid: 'CH1' },
      { name: 'music', sid: 'CH3' },
    ]);
    act(() => host.source.sendRooms([]));
    expect(result.current).toEqual([]);
  });

  it('fills the list from GET /rooms until the stream speaks, and never after', async () => {
    const host = new FakeHostApi();
    const first = deferred<HostRoom[]>();
    const second = deferred<HostRoom[]>();
    host.listRooms.mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);

    const { result, unmount } = renderHook(() => useAllRooms(host));
    await act(async () => first.resolve([{ name: 'from-get', sid: 'CH1' }]));
    expect(result.current).toEqual([{ name: 'from-get', sid: 'CH1' }]);
    unmount();

    const again = renderHook(() => useAllRooms(host));
    act(() => host.source.sendRooms([{ name: 'from-stream', sid: 'CH2' }]));
    await act(async () => second.resolve([{ name: 'stale-get', sid: 'CH9' }]));
    expect(again.result.current).toEqual([{ name: 'from-stream', sid: 'CH2' }]);
  });

  it('ignores an unreadable event and keeps the last list', async () => {
    const host = new FakeHostApi();
    const { result } = renderHook(() => useAllRooms(host));
    act(() => host.source.sendRooms([{ name: 'general', sid: 'CH1' }]));
    act(() => host.source.send('rooms', 'not json'));
    act(() => host.source.send('rooms', { rooms: 'not a list' }));
    expect(result.current).toEqual([{ name: 'general', sid: 'CH1' }]);
  });

  it('closes the stream when unmounted', () => {
    const host = new FakeHostApi();
    const { unmount } = renderHook(() => useAllRooms(host));
    const source = host.source;
    expect(source.closed).toBe(false);
    unmount();
    expect(source.closed).toBe(true);
    expect(source.listeners.get('rooms')?.size ?? 0).toBe(0);
  });
});

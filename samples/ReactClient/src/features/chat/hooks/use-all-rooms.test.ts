import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { deferred, FakeHostApi } from '@/testing/fake-chat-client';

import type { HostRoom } from '../api/host-api';
import { reopenDelayMs, useAllRooms } from './use-all-rooms';

afterEach(() => {
  vi.useRealTimers();
});

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

  it('leaves reconnecting to the browser after a network error, and reopens a stream it gave up on', async () => {
    vi.useFakeTimers();
    const host = new FakeHostApi();
    const { result } = renderHook(() => useAllRooms(host));
    const first = host.source;

    act(() => first.fail(0));
    await act(async () => vi.advanceTimersByTimeAsync(reopenDelayMs * 2));
    expect(host.openRoomEvents).toHaveBeenCalledOnce();
    expect(first.closed).toBe(false);

    act(() => first.fail(2));
    expect(first.closed).toBe(true);
    await act(async () => vi.advanceTimersByTimeAsync(reopenDelayMs - 100));
    expect(host.openRoomEvents).toHaveBeenCalledOnce();
    await act(async () => vi.advanceTimersByTimeAsync(200));
    expect(host.openRoomEvents).toHaveBeenCalledTimes(2);

    act(() => host.source.sendRooms([{ name: 'back', sid: 'CH4' }]));
    expect(result.current).toEqual([{ name: 'back', sid: 'CH4' }]);
  });

  it('does not reopen after unmounting', async () => {
    vi.useFakeTimers();
    const host = new FakeHostApi();
    const { unmount } = renderHook(() => useAllRooms(host));
    act(() => host.source.fail(2));
    unmount();
    await act(async () => vi.advanceTimersByTimeAsync(reopenDelayMs * 2));
    expect(host.openRoomEvents).toHaveBeenCalledOnce();
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

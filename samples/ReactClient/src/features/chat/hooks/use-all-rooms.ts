import { useEffect, useState } from 'react';

import { type EventSourceLike, type HostApi, type HostRoom, parseRoomList } from '../api/host-api';

/** EventSource.CLOSED: the browser gave up (an HTTP error answer), so it will not reconnect by itself. */
const closed = 2;
/** How long to wait before opening a stream the browser gave up on. */
export const reopenDelayMs = 5_000;

/**
 * Every room of the service, live: the host's `GET /rooms/events` stream sends the whole list (event `rooms`) on
 * connect and on every change. EventSource reconnects by itself after a network error; after an HTTP error it gives
 * up, so the stream is opened again a little later. `GET /rooms` fills the list until the stream's first event, and
 * never overwrites it after.
 */
export function useAllRooms(host: HostApi): HostRoom[] {
  const [rooms, setRooms] = useState<HostRoom[]>([]);

  useEffect(() => {
    let active = true;
    let streamed = false;
    let source: EventSourceLike | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const onRooms = (event: MessageEvent<string>) => {
      let list: HostRoom[];
      try {
        list = parseRoomList(JSON.parse(event.data) as unknown);
      } catch {
        return; // An unreadable event changes nothing; the next one will.
      }
      streamed = true;
      if (active) setRooms(list);
    };
    const onError = () => {
      if (!active || !source || source.readyState !== closed) return;
      close();
      timer = setTimeout(open, reopenDelayMs);
    };
    const open = () => {
      if (!active) return;
      source = host.openRoomEvents();
      source.addEventListener('rooms', onRooms);
      source.addEventListener('error', onError);
    };
    const close = () => {
      if (!source) return;
      source.removeEventListener('rooms', onRooms);
      source.removeEventListener('error', onError);
      source.close();
      source = null;
    };

    open();
    host.listRooms().then(
      (list) => {
        if (active && !streamed) setRooms(list);
      },
      () => undefined,
    );
    return () => {
      active = false;
      clearTimeout(timer);
      close();
    };
  }, [host]);

  return rooms;
}

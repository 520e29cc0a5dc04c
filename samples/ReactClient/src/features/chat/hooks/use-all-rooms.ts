import { useEffect, useState } from 'react';

import { parseRoomList, type HostApi, type HostRoom } from '@/lib/api-client';

/**
 * Every room of the service, live: the host's `GET /rooms/events` stream sends the whole list (event `rooms`) on
 * connect and on every change, and EventSource reconnects by itself. `GET /rooms` fills the list until the stream's
 * first event, and never overwrites it after.
 */
export function useAllRooms(host: HostApi): HostRoom[] {
  const [rooms, setRooms] = useState<HostRoom[]>([]);

  useEffect(() => {
    let active = true;
    let streamed = false;
    const source = host.openRoomEvents();
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
    source.addEventListener('rooms', onRooms);
    host.listRooms().then(
      (list) => {
        if (active && !streamed) setRooms(list);
      },
      () => undefined,
    );
    return () => {
      active = false;
      source.removeEventListener('rooms', onRooms);
      source.close();
    };
  }, [host]);

  return rooms;
}

import { useEffect, useState } from 'react';

import type { ChatClient, ChatRoom } from '@/lib/chat-client';

/** The rooms the user is in; `initialRooms` (from the login answer) until the client has answered. */
export function useRooms(client: ChatClient, connected: boolean, initialRooms: ChatRoom[]): ChatRoom[] {
  const [rooms, setRooms] = useState<ChatRoom[]>(initialRooms);

  useEffect(() => {
    if (!connected) return undefined;
    let active = true;
    client.getRooms().then(
      (loaded) => {
        if (active) setRooms(loaded);
      },
      () => {
        // Keep the rooms from the login answer.
      },
    );
    return () => {
      active = false;
    };
  }, [client, connected]);

  return rooms;
}

import { useCallback, useEffect, useReducer, useRef } from 'react';

import type { ChatClient, ChatRoom } from '../types';

type Action =
  | { type: 'loaded'; rooms: ChatRoom[] }
  | { type: 'added'; room: ChatRoom }
  | { type: 'updated'; room: ChatRoom }
  | { type: 'removed'; sid: string };

function reducer(rooms: ChatRoom[], action: Action): ChatRoom[] {
  switch (action.type) {
    case 'loaded':
      return action.rooms;
    case 'added':
      // Joining adds a room at once and conversationAdded adds it again: never twice.
      return rooms.some((r) => r.sid === action.room.sid) ? rooms : [...rooms, action.room];
    case 'updated':
      return rooms.map((r) => (r.sid === action.room.sid ? action.room : r));
    case 'removed':
      return rooms.some((r) => r.sid === action.sid) ? rooms.filter((r) => r.sid !== action.sid) : rooms;
  }
}

export type Rooms = {
  rooms: ChatRoom[];
  /** Adds a room the user just joined or opened (once, whatever the back end says later). */
  add: (room: ChatRoom) => void;
  remove: (sid: string) => void;
};

/**
 * The rooms and private conversations the user is in: `initialRooms` (from the login answer) until the client has
 * answered, then live from roomAdded / roomUpdated / roomRemoved. Events that arrive while the list loads are applied
 * on top of it, so none is lost. `onRemoved` hears of a room the back end took away, before it goes.
 */
export function useRooms(
  client: ChatClient,
  connected: boolean,
  initialRooms: ChatRoom[],
  onRemoved?: (room: ChatRoom) => void,
): Rooms {
  const [rooms, dispatch] = useReducer(reducer, initialRooms);
  const current = useRef(rooms);
  current.current = rooms;
  const removedCallback = useRef(onRemoved);
  removedCallback.current = onRemoved;

  useEffect(() => {
    if (!connected) return undefined;
    let active = true;
    let loading = true;
    const pending: Action[] = [];
    const apply = (action: Action) => {
      if (loading) pending.push(action);
      dispatch(action);
    };
    const unsubscribe = [
      client.on('roomAdded', (room) => apply({ type: 'added', room })),
      client.on('roomUpdated', (room) => apply({ type: 'updated', room })),
      client.on('roomRemoved', (room) => {
        const known = current.current.find((r) => r.sid === room.sid);
        if (known) removedCallback.current?.(known);
        apply({ type: 'removed', sid: room.sid });
      }),
    ];
    client.getRooms().then(
      (loaded) => {
        if (!active) return;
        loading = false;
        dispatch({ type: 'loaded', rooms: loaded });
        for (const action of pending) dispatch(action);
      },
      () => {
        // Keep the rooms from the login answer and the events.
        loading = false;
      },
    );
    return () => {
      active = false;
      for (const off of unsubscribe) off();
    };
  }, [client, connected]);

  const add = useCallback((room: ChatRoom) => dispatch({ type: 'added', room }), []);
  const remove = useCallback((sid: string) => dispatch({ type: 'removed', sid }), []);
  return { rooms, add, remove };
}

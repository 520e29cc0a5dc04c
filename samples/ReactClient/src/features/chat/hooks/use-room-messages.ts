import { useCallback, useEffect, useReducer, useRef } from 'react';

import { errorMessage, mergeByIndex, type ChatClient, type ChatMessage, type MessagePage } from '@/lib/chat-client';

export const pageSize = 30;

type State = {
  roomSid: string | null;
  messages: ChatMessage[];
  historyLoaded: boolean;
  hasPrevPage: boolean;
  loadingOlder: boolean;
  error: string | null;
};

type Action =
  | { type: 'reset'; roomSid: string | null }
  | { type: 'added'; roomSid: string; message: ChatMessage }
  | { type: 'latestLoaded'; roomSid: string; page: MessagePage }
  | { type: 'olderStarted'; roomSid: string }
  | { type: 'olderLoaded'; roomSid: string; page: MessagePage }
  | { type: 'failed'; roomSid: string; error: string };

const emptyState = (roomSid: string | null): State => ({
  roomSid,
  messages: [],
  historyLoaded: false,
  hasPrevPage: false,
  loadingOlder: false,
  error: null,
});

function reducer(state: State, action: Action): State {
  if (action.type === 'reset') return state.roomSid === action.roomSid ? state : emptyState(action.roomSid);
  // Every answer names its room: one for a room the reader has left is dropped.
  if (action.roomSid !== state.roomSid) return state;
  switch (action.type) {
    case 'added':
      return { ...state, messages: mergeByIndex(state.messages, [action.message]) };
    case 'latestLoaded':
      return {
        ...state,
        // History first, then what arrived live: a live copy of an index is at least as new.
        messages: mergeByIndex(action.page.items, state.messages),
        hasPrevPage: state.historyLoaded ? state.hasPrevPage : action.page.hasPrevPage,
        historyLoaded: true,
        error: null,
      };
    case 'olderStarted':
      return { ...state, loadingOlder: true };
    case 'olderLoaded':
      return {
        ...state,
        messages: mergeByIndex(action.page.items, state.messages),
        hasPrevPage: action.page.hasPrevPage,
        loadingOlder: false,
      };
    case 'failed':
      return { ...state, loadingOlder: false, error: action.error };
  }
}

export type RoomMessages = {
  messages: ChatMessage[];
  hasPrevPage: boolean;
  loading: boolean;
  loadingOlder: boolean;
  error: string | null;
  loadOlder: () => void;
};

/**
 * The messages of one room: subscribe first, then load the latest page, and merge by index, so nothing that arrives
 * in between is lost or doubled. Reloads the latest page after a reconnect to fill the gap.
 */
export function useRoomMessages(client: ChatClient, roomSid: string | null, connected: boolean): RoomMessages {
  const [state, dispatch] = useReducer(reducer, roomSid, emptyState);
  const current = useRef(state);
  current.current = state;

  useEffect(() => {
    dispatch({ type: 'reset', roomSid });
    if (!roomSid || !connected) return undefined;
    let active = true;
    const unsubscribe = client.onMessageAdded((message) => {
      if (active && message.roomSid === roomSid) dispatch({ type: 'added', roomSid, message });
    });
    client.getMessages(roomSid, pageSize).then(
      (page) => {
        if (active) dispatch({ type: 'latestLoaded', roomSid, page });
      },
      (error: unknown) => {
        if (active) dispatch({ type: 'failed', roomSid, error: errorMessage(error, 'Could not load messages.') });
      },
    );
    return () => {
      active = false;
      unsubscribe();
    };
  }, [client, roomSid, connected]);

  const loadOlder = useCallback(() => {
    const { roomSid: sid, hasPrevPage, loadingOlder, messages } = current.current;
    const oldest = messages[0];
    if (!sid || !hasPrevPage || loadingOlder || !oldest) return;
    dispatch({ type: 'olderStarted', roomSid: sid });
    client.getMessages(sid, pageSize, oldest.index).then(
      (page) => dispatch({ type: 'olderLoaded', roomSid: sid, page }),
      (error: unknown) =>
        dispatch({ type: 'failed', roomSid: sid, error: errorMessage(error, 'Could not load older messages.') }),
    );
  }, [client]);

  // Until the reset has run, the state may still hold the previous room: never show it.
  const mine = state.roomSid === roomSid;
  return {
    messages: mine ? state.messages : [],
    hasPrevPage: mine && state.hasPrevPage,
    loading: !!roomSid && (!mine || !state.historyLoaded) && !(mine && state.error),
    loadingOlder: mine && state.loadingOlder,
    error: mine ? state.error : null,
    loadOlder,
  };
}

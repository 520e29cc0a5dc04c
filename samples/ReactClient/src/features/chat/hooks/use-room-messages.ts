import { useCallback, useEffect, useReducer, useRef } from 'react';

import { errorMessage } from '@/lib/values';

import { mergeByIndex } from '../rooms';
import { type ChatClient, type ChatMessage, type MessagePage } from '../types';

export const pageSize = 30;

type State = {
  roomSid: string | null;
  messages: ChatMessage[];
  /** Indexes removed while history may still hold them. */
  removed: number[];
  historyLoaded: boolean;
  hasPrevPage: boolean;
  loadingOlder: boolean;
  error: string | null;
};

type Action =
  | { type: 'reset'; roomSid: string | null }
  | { type: 'added'; roomSid: string; message: ChatMessage }
  | { type: 'updated'; roomSid: string; message: ChatMessage }
  | { type: 'removed'; roomSid: string; index: number }
  | { type: 'latestLoaded'; roomSid: string; page: MessagePage }
  | { type: 'olderStarted'; roomSid: string }
  | { type: 'olderLoaded'; roomSid: string; page: MessagePage }
  | { type: 'failed'; roomSid: string; error: string };

const emptyState = (roomSid: string | null): State => ({
  roomSid,
  messages: [],
  removed: [],
  historyLoaded: false,
  hasPrevPage: false,
  loadingOlder: false,
  error: null,
});

function without(messages: ChatMessage[], removed: number[]): ChatMessage[] {
  return removed.length === 0 ? messages : messages.filter((m) => !removed.includes(m.index));
}

function reducer(state: State, action: Action): State {
  if (action.type === 'reset') return state.roomSid === action.roomSid ? state : emptyState(action.roomSid);
  // Every answer names its room: one for a room the reader has left is dropped.
  if (action.roomSid !== state.roomSid) return state;
  switch (action.type) {
    case 'added':
      if (state.removed.includes(action.message.index)) return state;
      return { ...state, messages: mergeByIndex(state.messages, [action.message]) };
    case 'updated':
      if (!state.messages.some((m) => m.index === action.message.index)) {
        // While the history loads, the edit is kept and wins over the snapshot's copy (dropped below if the message
        // is older than the page); after that, an edit of a message not loaded comes with the older page.
        return state.historyLoaded ? state : { ...state, messages: mergeByIndex(state.messages, [action.message]) };
      }
      return {
        ...state,
        messages: state.messages.map((m) => (m.index === action.message.index ? action.message : m)),
      };
    case 'removed':
      return {
        ...state,
        messages: state.messages.filter((m) => m.index !== action.index),
        removed: [...state.removed, action.index],
      };
    case 'latestLoaded': {
      const items = action.page.items;
      const first = items[0]?.index;
      const last = items[items.length - 1]?.index;
      const live =
        first === undefined || last === undefined
          ? state.messages
          : state.historyLoaded
            ? // A reload after a reconnect: within the page's range the page is the truth, so edits and deletions
              // made while the connection was down show; older pages and newer live messages stay.
              state.messages.filter((m) => m.index < first || m.index > last)
            : // The first load: what arrived live wins over the snapshot's copy, and nothing older than the page is
              // kept (it would leave a gap the older pages never fill).
              state.messages.filter((m) => m.index >= first);
      return {
        ...state,
        messages: without(mergeByIndex(items, live), state.removed),
        hasPrevPage: state.historyLoaded ? state.hasPrevPage : action.page.hasPrevPage,
        historyLoaded: true,
        error: null,
      };
    }
    case 'olderStarted':
      return { ...state, loadingOlder: true };
    case 'olderLoaded':
      return {
        ...state,
        messages: without(mergeByIndex(action.page.items, state.messages), state.removed),
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
 * in between is lost or doubled. Edits replace a message, removals drop it for good. Reloads the latest page after a
 * reconnect to fill the gap and to pick up edits and deletions made meanwhile.
 */
export function useRoomMessages(client: ChatClient, roomSid: string | null, connected: boolean): RoomMessages {
  const [state, dispatch] = useReducer(reducer, roomSid, emptyState);
  const current = useRef(state);
  current.current = state;

  useEffect(() => {
    dispatch({ type: 'reset', roomSid });
    if (!roomSid || !connected) return undefined;
    let active = true;
    const unsubscribe = [
      client.onMessageAdded((message) => {
        if (active && message.roomSid === roomSid) dispatch({ type: 'added', roomSid, message });
      }),
      client.on('messageUpdated', (message) => {
        if (active && message.roomSid === roomSid) dispatch({ type: 'updated', roomSid, message });
      }),
      client.on('messageRemoved', (message) => {
        if (active && message.roomSid === roomSid) dispatch({ type: 'removed', roomSid, index: message.index });
      }),
    ];
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
      for (const off of unsubscribe) off();
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

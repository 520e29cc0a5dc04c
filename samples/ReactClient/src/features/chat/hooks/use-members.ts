import { useEffect, useReducer } from 'react';

import { errorMessage } from '@/lib/values';

import { type ChatClient, type ChatMember } from '../types';

type State = { roomSid: string | null; members: ChatMember[]; loaded: boolean; error: string | null };

type Action =
  | { type: 'reset'; roomSid: string | null }
  | { type: 'loaded'; roomSid: string; members: ChatMember[]; events: MemberEvent[] }
  | { type: 'event'; roomSid: string; event: MemberEvent }
  | { type: 'failed'; roomSid: string; error: string };

type MemberEvent = { kind: 'joined' | 'left' | 'updated'; member: ChatMember };

function applyEvent(members: ChatMember[], { kind, member }: MemberEvent): ChatMember[] {
  const rest = members.filter((m) => m.sid !== member.sid);
  return kind === 'left' ? rest : [...rest, member];
}

function memberName(member: ChatMember): string {
  return member.identity ?? member.address ?? member.sid;
}

function sorted(members: ChatMember[]): ChatMember[] {
  return [...members].sort((a, b) => memberName(a).localeCompare(memberName(b)));
}

function reducer(state: State, action: Action): State {
  if (action.type === 'reset')
    return state.roomSid === action.roomSid ? state : { roomSid: action.roomSid, members: [], loaded: false, error: null };
  if (action.roomSid !== state.roomSid) return state;
  switch (action.type) {
    case 'loaded':
      return { ...state, members: sorted(action.events.reduce(applyEvent, action.members)), loaded: true, error: null };
    case 'event':
      return { ...state, members: sorted(applyEvent(state.members, action.event)) };
    case 'failed':
      return { ...state, error: action.error, loaded: true };
  }
}

export type Members = { members: ChatMember[]; loading: boolean; error: string | null };

/**
 * The participants of one room, live: subscribe first, load, then apply the events that came in while loading on
 * top of the answer. Loads again after a reconnect.
 */
export function useMembers(client: ChatClient, roomSid: string | null, connected: boolean): Members {
  const [state, dispatch] = useReducer(reducer, { roomSid, members: [], loaded: false, error: null });

  useEffect(() => {
    dispatch({ type: 'reset', roomSid });
    if (!roomSid || !connected) return undefined;
    let active = true;
    let pending: MemberEvent[] | null = [];
    const handle = (kind: MemberEvent['kind']) => (member: ChatMember) => {
      if (!active || member.roomSid !== roomSid) return;
      const event = { kind, member };
      if (pending) pending.push(event);
      else dispatch({ type: 'event', roomSid, event });
    };
    const unsubscribe = [
      client.on('memberJoined', handle('joined')),
      client.on('memberLeft', handle('left')),
      client.on('memberUpdated', handle('updated')),
    ];
    client.getMembers(roomSid).then(
      (members) => {
        if (!active) return;
        dispatch({ type: 'loaded', roomSid, members, events: pending ?? [] });
        pending = null;
      },
      (error: unknown) => {
        if (!active) return;
        pending = null;
        dispatch({ type: 'failed', roomSid, error: errorMessage(error, 'Could not load the members.') });
      },
    );
    return () => {
      active = false;
      for (const off of unsubscribe) off();
    };
  }, [client, roomSid, connected]);

  const mine = state.roomSid === roomSid;
  return {
    members: mine ? state.members : [],
    loading: !!roomSid && (!mine || !state.loaded),
    error: mine ? state.error : null,
  };
}

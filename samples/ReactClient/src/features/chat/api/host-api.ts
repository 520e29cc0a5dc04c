// The web host's room endpoints, as the chat calls them in the signed-in session.
import { getJson, postJson } from '@/lib/api-client';
import { isRecord } from '@/lib/values';

/** A room as the host lists it. */
export type HostRoom = { name: string; sid: string };

/** What POST /private-conversations answers. */
export type PrivateConversation = {
  sid: string;
  uniqueName: string | null;
  friendlyName: string | null;
  members: string[];
};

/** The part of the browser's EventSource the client uses, so tests can hand in a fake. */
export interface EventSourceLike {
  /** 0 connecting, 1 open, 2 closed (given up). */
  readonly readyState: number;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  removeEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

/** The web host's room endpoints, in the signed-in session (its cookie). */
export interface HostApi {
  /** GET /rooms: every room of the service. */
  listRooms(): Promise<HostRoom[]>;
  /** GET /rooms/events: Server-Sent Events, event `rooms` with the whole list on connect and on every change. */
  openRoomEvents(): EventSourceLike;
  /** POST /rooms/join. */
  joinRoom(name: string): Promise<HostRoom>;
  /** POST /rooms/leave. */
  leaveRoom(name: string): Promise<void>;
  /** POST /private-conversations: the private conversation with another user, made when needed. */
  openPrivateConversation(withIdentity: string): Promise<PrivateConversation>;
}

function unreadable(): Error {
  return new Error('The server gave an unreadable answer.');
}

function toHostRoom(value: unknown): HostRoom | null {
  if (!isRecord(value)) return null;
  return typeof value.name === 'string' && typeof value.sid === 'string' ? { name: value.name, sid: value.sid } : null;
}

/** `[{"name","sid"}]`; entries of another shape are skipped. */
export function parseRoomList(value: unknown): HostRoom[] {
  if (!Array.isArray(value)) throw unreadable();
  return value.flatMap((item) => {
    const room = toHostRoom(item);
    return room ? [room] : [];
  });
}

function nullableString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export type HostApiOptions = {
  eventSourceFactory?: (url: string) => EventSourceLike;
};

export function createHostApi({ eventSourceFactory }: HostApiOptions = {}): HostApi {
  return {
    async listRooms() {
      const body = await getJson('/rooms');
      if (!isRecord(body)) throw unreadable();
      return parseRoomList(body.rooms);
    },
    openRoomEvents() {
      return eventSourceFactory ? eventSourceFactory('/rooms/events') : new EventSource('/rooms/events');
    },
    async joinRoom(name) {
      const room = toHostRoom(await postJson('/rooms/join', { room: name }));
      if (!room) throw unreadable();
      return room;
    },
    async leaveRoom(name) {
      await postJson('/rooms/leave', { room: name });
    },
    async openPrivateConversation(withIdentity) {
      const body = await postJson('/private-conversations', { with: withIdentity });
      if (!isRecord(body) || typeof body.sid !== 'string') throw unreadable();
      return {
        sid: body.sid,
        uniqueName: nullableString(body.uniqueName),
        friendlyName: nullableString(body.friendlyName),
        members: Array.isArray(body.members) ? body.members.filter((m): m is string => typeof m === 'string') : [],
      };
    },
  };
}

import { vi } from 'vitest';

import type { EventSourceLike, HostApi, HostRoom, PrivateConversation } from '@/features/chat/api/host-api';
import { ChatEmitter } from '@/features/chat/api/chat-emitter';
import type { ReactionKey } from '@/features/chat/reactions';
import type {
  ChatClient,
  ChatEventName,
  ChatEvents,
  ChatMember,
  ChatMessage,
  ChatRoom,
  ConnectionState,
  MessagePage,
  ReadHorizon,
} from '@/features/chat/types';

export type Deferred<T> = { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void };

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function message(roomSid: string, index: number, body: string, author = 'bob'): ChatMessage {
  return {
    sid: `IM${roomSid}${index}`,
    index,
    roomSid,
    author,
    body,
    dateCreated: '2026-11-25T06:00:00Z',
    edited: false,
    reactions: {},
  };
}

export function room(sid: string, name: string): ChatRoom {
  return { sid, name, kind: 'room', members: [] };
}

export function privateRoom(sid: string, members: string[]): ChatRoom {
  return { sid, name: `private-${members.join('-')}`, kind: 'private', members };
}

export function groupRoom(sid: string, name: string): ChatRoom {
  return { sid, name, kind: 'group', members: [] };
}

export function member(roomSid: string, identity: string, online: boolean | null = null, lastReadIndex: number | null = null): ChatMember {
  return { sid: `MB${roomSid}${identity}`, roomSid, identity, kind: 'chat', address: null, online, lastReadIndex };
}

export function smsMember(roomSid: string, address: string): ChatMember {
  return { sid: `MB${roomSid}${address}`, roomSid, identity: null, kind: 'sms', address, online: null, lastReadIndex: null };
}

/** A ChatClient the test drives: history per room, live events, state changes, controllable answers. */
export class FakeChatClient implements ChatClient {
  readonly events = new ChatEmitter();
  connectionState: ConnectionState;
  rooms: ChatRoom[];
  history = new Map<string, MessagePage>();
  members = new Map<string, ChatMember[]>();
  horizons = new Map<string, ReadHorizon>();

  readonly connect = vi.fn(async () => {
    this.setState('connected');
  });
  readonly getRooms = vi.fn(async () => this.rooms);
  readonly getMessages = vi.fn(
    async (roomSid: string, _pageSize: number, _anchor?: number): Promise<MessagePage> =>
      this.history.get(roomSid) ?? { items: [], hasPrevPage: false },
  );
  readonly sendMessage = vi.fn(async (_roomSid: string, _body: string) => 0);
  readonly sendFiles = vi.fn(async (_roomSid: string, _files: File[], _body: string) => 0);
  readonly getAttachmentUrl = vi.fn(
    async (_roomSid: string, messageIndex: number, attachmentSid: string) => `https://media.test/${messageIndex}/${attachmentSid}`,
  );
  readonly updateMessage = vi.fn(async (_roomSid: string, _index: number, _body: string) => undefined);
  readonly removeMessage = vi.fn(async (_roomSid: string, _index: number) => undefined);
  readonly setReaction = vi.fn(async (_roomSid: string, _index: number, _reaction: ReactionKey, _chosen: boolean) => undefined);
  readonly getMembers = vi.fn(async (roomSid: string): Promise<ChatMember[]> => this.members.get(roomSid) ?? []);
  readonly typing = vi.fn(async (_roomSid: string) => undefined);
  readonly getReadHorizon = vi.fn(
    async (roomSid: string): Promise<ReadHorizon> => this.horizons.get(roomSid) ?? { lastReadIndex: null, lastMessageIndex: null },
  );
  readonly markReadUpTo = vi.fn(async (_roomSid: string, _index: number) => undefined);
  readonly createGroup = vi.fn(async (name: string): Promise<ChatRoom> => groupRoom(`CHG${name}`, name));
  readonly addMember = vi.fn(async (_roomSid: string, _identity: string) => undefined);
  readonly leaveGroup = vi.fn(async (_roomSid: string) => undefined);
  readonly updateToken = vi.fn(async (_token: string) => undefined);
  readonly shutdown = vi.fn(async () => {
    this.setState('disconnected');
  });

  constructor(options: { rooms?: ChatRoom[]; state?: ConnectionState } = {}) {
    this.rooms = options.rooms ?? [room('CH1', 'general'), room('CH2', 'random')];
    this.connectionState = options.state ?? 'connected';
  }

  on<K extends ChatEventName>(event: K, listener: (value: ChatEvents[K]) => void) {
    return this.events.on(event, listener);
  }

  onMessageAdded(listener: (message: ChatMessage) => void) {
    return this.events.on('messageAdded', listener);
  }

  onConnectionStateChanged(listener: (state: ConnectionState) => void) {
    return this.events.on('connectionStateChanged', listener);
  }

  setState(state: ConnectionState): void {
    this.connectionState = state;
    this.events.emit('connectionStateChanged', state);
  }

  emitMessage(added: ChatMessage): void {
    this.events.emit('messageAdded', added);
  }

  emit<K extends ChatEventName>(event: K, value: ChatEvents[K]): void {
    this.events.emit(event, value);
  }
}

/** An EventSource the test plays the server of. */
export class FakeEventSource implements EventSourceLike {
  readonly listeners = new Map<string, Set<(event: MessageEvent<string>) => void>>();
  readyState = 1;
  closed = false;

  constructor(readonly url = '/rooms/events') {}

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
  }

  removeEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.get(type)?.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  /** A network error (the browser retries: readyState 0) or an HTTP error (it gives up: readyState 2). */
  fail(readyState: 0 | 2): void {
    this.readyState = readyState;
    this.send('error', '');
  }

  /** The server sends an event; `data` is sent as given when a string, else as JSON. */
  send(type: string, data: unknown): void {
    const event = new MessageEvent<string>(type, { data: typeof data === 'string' ? data : JSON.stringify(data) });
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }

  sendRooms(rooms: HostRoom[]): void {
    this.send('rooms', rooms);
  }
}

/** The host's room endpoints, answering from the test's lists. */
export class FakeHostApi implements HostApi {
  allRooms: HostRoom[];
  readonly sources: FakeEventSource[] = [];

  readonly listRooms = vi.fn(async () => this.allRooms);
  readonly openRoomEvents = vi.fn(() => {
    const source = new FakeEventSource();
    this.sources.push(source);
    return source;
  });
  readonly joinRoom = vi.fn(async (name: string): Promise<HostRoom> => {
    const found = this.allRooms.find((r) => r.name === name);
    if (!found) throw new Error(`No room named ${name}.`);
    return found;
  });
  readonly leaveRoom = vi.fn(async (_name: string) => undefined);
  readonly openPrivateConversation = vi.fn(
    async (withIdentity: string): Promise<PrivateConversation> => ({
      sid: `CHP${withIdentity}`,
      uniqueName: null,
      friendlyName: null,
      members: ['alice', withIdentity],
    }),
  );

  constructor(allRooms: HostRoom[] = []) {
    this.allRooms = allRooms;
  }

  /** The latest event stream the client opened. */
  get source(): FakeEventSource {
    const source = this.sources.at(-1);
    if (!source) throw new Error('No event stream was opened.');
    return source;
  }
}

import { vi } from 'vitest';

import {
  Listeners,
  type ChatClient,
  type ChatMessage,
  type ChatRoom,
  type ConnectionState,
  type MessagePage,
} from '@/lib/chat-client';

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
  };
}

/** A ChatClient the test drives: history per room, live events, state changes, controllable answers. */
export class FakeChatClient implements ChatClient {
  readonly messageAdded = new Listeners<ChatMessage>();
  readonly stateChanged = new Listeners<ConnectionState>();
  connectionState: ConnectionState;
  rooms: ChatRoom[];
  history = new Map<string, MessagePage>();

  readonly connect = vi.fn(async () => {
    this.setState('connected');
  });
  readonly getRooms = vi.fn(async () => this.rooms);
  readonly getMessages = vi.fn(
    async (roomSid: string, _pageSize: number, _anchor?: number): Promise<MessagePage> =>
      this.history.get(roomSid) ?? { items: [], hasPrevPage: false },
  );
  readonly sendMessage = vi.fn(async (_roomSid: string, _body: string) => 0);
  readonly updateToken = vi.fn(async (_token: string) => undefined);
  readonly shutdown = vi.fn(async () => {
    this.setState('disconnected');
  });

  constructor(options: { rooms?: ChatRoom[]; state?: ConnectionState } = {}) {
    this.rooms = options.rooms ?? [
      { sid: 'CH1', name: 'general' },
      { sid: 'CH2', name: 'random' },
    ];
    this.connectionState = options.state ?? 'connected';
  }

  onMessageAdded(listener: (message: ChatMessage) => void) {
    return this.messageAdded.add(listener);
  }

  onConnectionStateChanged(listener: (state: ConnectionState) => void) {
    return this.stateChanged.add(listener);
  }

  setState(state: ConnectionState): void {
    this.connectionState = state;
    this.stateChanged.emit(state);
  }

  emitMessage(added: ChatMessage): void {
    this.messageAdded.emit(added);
  }
}

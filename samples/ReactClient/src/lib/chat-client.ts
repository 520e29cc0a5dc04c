/**
 * The one seam between the components and a chat back end. One adapter implements it, on Twilio's browser SDK
 * (`@twilio/conversations`), against Twilio or the emulator's twilsock face; components only ever see this interface.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** A room (a conversation with a unique name, listed by the host) or a private conversation between users. */
export type RoomKind = 'room' | 'private';

export type ChatRoom = {
  sid: string;
  /** The friendly name (else the unique name) as the back end has it; a private one is shown by its other member. */
  name: string;
  kind: RoomKind;
  /** The identities of a private conversation, from its attributes; empty for a room. */
  members: string[];
};

export type ChatMessage = {
  sid: string;
  /** Per room, only grows, never reused: the key for merging history with live events. */
  index: number;
  roomSid: string;
  author: string | null;
  body: string | null;
  dateCreated: string | null;
  /** The body was changed after it was sent. */
  edited: boolean;
};

export type ChatMember = {
  sid: string;
  roomSid: string;
  /** Null for an SMS participant. */
  identity: string | null;
  kind: 'chat' | 'sms';
  /** The phone number of an SMS participant. */
  address: string | null;
  /** Null when the back end does not know. */
  online: boolean | null;
};

export type TypingEvent = { roomSid: string; identity: string };

/** Items ascending by index. */
export type MessagePage = {
  items: ChatMessage[];
  hasPrevPage: boolean;
};

export type Unsubscribe = () => void;

/** Everything a back end tells the client without being asked. */
export type ChatEvents = {
  messageAdded: ChatMessage;
  messageUpdated: ChatMessage;
  messageRemoved: ChatMessage;
  memberJoined: ChatMember;
  memberLeft: ChatMember;
  memberUpdated: ChatMember;
  typingStarted: TypingEvent;
  typingEnded: TypingEvent;
  roomAdded: ChatRoom;
  roomUpdated: ChatRoom;
  roomRemoved: ChatRoom;
  connectionStateChanged: ConnectionState;
  /**
   * The back end wants a new token (`updateToken`): `expired` when the one held no longer works (it ran out, or the
   * user signed out on another device), else it is about to expire.
   */
  tokenExpiring: { expired: boolean };
};

export type ChatEventName = keyof ChatEvents;

/** Where the user stopped reading a room, and how far the room goes; either is null when there is none yet. */
export interface ReadHorizon {
  lastReadIndex: number | null;
  lastMessageIndex: number | null;
}

export interface ChatClient {
  readonly connectionState: ConnectionState;
  connect(): Promise<void>;
  /** The rooms and private conversations the user is a participant of. */
  getRooms(): Promise<ChatRoom[]>;
  /** The last `pageSize` messages with index below `anchor`, or the latest when `anchor` is undefined. */
  getMessages(roomSid: string, pageSize: number, anchor?: number): Promise<MessagePage>;
  /** Resolves to the new message's index. */
  sendMessage(roomSid: string, body: string): Promise<number>;
  updateMessage(roomSid: string, index: number, body: string): Promise<void>;
  removeMessage(roomSid: string, index: number): Promise<void>;
  getMembers(roomSid: string): Promise<ChatMember[]>;
  /** Tells the others the user is typing; callers throttle. */
  typing(roomSid: string): Promise<void>;
  /** The user's read horizon in a room and the room's last message index, as the SDK holds them now. */
  getReadHorizon(roomSid: string): Promise<ReadHorizon>;
  /**
   * Moves the read horizon forward to `index`, the last message the user was shown: never to whatever is newest when
   * the request runs, which may have arrived after the user stopped reading.
   */
  markReadUpTo(roomSid: string, index: number): Promise<void>;
  on<K extends ChatEventName>(event: K, listener: (value: ChatEvents[K]) => void): Unsubscribe;
  onMessageAdded(listener: (message: ChatMessage) => void): Unsubscribe;
  onConnectionStateChanged(listener: (state: ConnectionState) => void): Unsubscribe;
  updateToken(token: string): Promise<void>;
  shutdown(): Promise<void>;
}

/** A tiny listener set, so each adapter registers its listeners in one place. */
class Listeners<T> {
  readonly #listeners = new Set<(value: T) => void>();

  add(listener: (value: T) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(value: T): void {
    for (const listener of [...this.#listeners]) listener(value);
  }

  clear(): void {
    this.#listeners.clear();
  }
}

/** One listener set per event of ChatEvents. */
export class ChatEmitter {
  readonly #sets = new Map<ChatEventName, Listeners<unknown>>();

  on<K extends ChatEventName>(event: K, listener: (value: ChatEvents[K]) => void): Unsubscribe {
    return this.#set(event).add(listener);
  }

  emit<K extends ChatEventName>(event: K, value: ChatEvents[K]): void {
    this.#set(event).emit(value);
  }

  clear(): void {
    for (const set of this.#sets.values()) set.clear();
  }

  #set<K extends ChatEventName>(event: K): Listeners<ChatEvents[K]> {
    let set = this.#sets.get(event);
    if (!set) {
      set = new Listeners<unknown>();
      this.#sets.set(event, set);
    }
    // Each event's set only ever holds that event's listeners (on() is typed by the event).
    return set as unknown as Listeners<ChatEvents[K]>;
  }
}

/** Merges message lists by index: no loss, no doubles, ascending. A later copy of an index wins. */
export function mergeByIndex(...lists: readonly (readonly ChatMessage[])[]): ChatMessage[] {
  const byIndex = new Map<number, ChatMessage>();
  for (const list of lists) for (const message of list) byIndex.set(message.index, message);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a conversation's kind from its attributes: `{"chatrooms":{"kind":"private","members":[...]}}` marks a
 * private conversation. Accepts the parsed object (as the SDK gives it) or a JSON string.
 */
export function readRoomKind(attributes: unknown): { kind: RoomKind; members: string[] } {
  let value = attributes;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      value = undefined;
    }
  }
  const chatrooms = isRecord(value) ? value.chatrooms : undefined;
  if (isRecord(chatrooms) && chatrooms.kind === 'private') {
    const members = Array.isArray(chatrooms.members)
      ? chatrooms.members.filter((m): m is string => typeof m === 'string')
      : [];
    return { kind: 'private', members };
  }
  return { kind: 'room', members: [] };
}

/** How a room is named to this user: a private conversation by its other member. */
export function roomDisplayName(room: ChatRoom, identity: string): string {
  if (room.kind !== 'private') return room.name;
  const others = room.members.filter((m) => m !== identity);
  return others.length > 0 ? others.join(', ') : room.name;
}

export function errorMessage(error: unknown, fallback: string): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error) return error;
  return fallback;
}

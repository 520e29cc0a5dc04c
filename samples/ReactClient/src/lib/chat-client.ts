/**
 * The one seam between the components and a chat back end. Two adapters implement it (the emulator's SignalR hub
 * and Twilio's browser SDK); components only ever see this interface.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export type ChatRoom = {
  sid: string;
  name: string;
};

export type ChatMessage = {
  sid: string;
  /** Per room, only grows, never reused: the key for merging history with live events. */
  index: number;
  roomSid: string;
  author: string | null;
  body: string | null;
  dateCreated: string | null;
};

/** Items ascending by index. */
export type MessagePage = {
  items: ChatMessage[];
  hasPrevPage: boolean;
};

export type Unsubscribe = () => void;

export interface ChatClient {
  readonly connectionState: ConnectionState;
  connect(): Promise<void>;
  getRooms(): Promise<ChatRoom[]>;
  /** The last `pageSize` messages with index below `anchor`, or the latest when `anchor` is undefined. */
  getMessages(roomSid: string, pageSize: number, anchor?: number): Promise<MessagePage>;
  /** Resolves to the new message's index. */
  sendMessage(roomSid: string, body: string): Promise<number>;
  onMessageAdded(listener: (message: ChatMessage) => void): Unsubscribe;
  onConnectionStateChanged(listener: (state: ConnectionState) => void): Unsubscribe;
  updateToken(token: string): Promise<void>;
  shutdown(): Promise<void>;
}

/** A tiny listener set, so each adapter registers its listeners in one place. */
export class Listeners<T> {
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

/** Merges message lists by index: no loss, no doubles, ascending. A later copy of an index wins. */
export function mergeByIndex(...lists: readonly (readonly ChatMessage[])[]): ChatMessage[] {
  const byIndex = new Map<number, ChatMessage>();
  for (const list of lists) for (const message of list) byIndex.set(message.index, message);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

export function errorMessage(error: unknown, fallback: string): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error) return error;
  return fallback;
}

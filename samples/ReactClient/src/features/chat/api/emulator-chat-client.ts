import { HubConnectionBuilder, LogLevel } from '@microsoft/signalr';

import {
  Listeners,
  type ChatClient,
  type ChatMessage,
  type ChatRoom,
  type ConnectionState,
  type MessagePage,
  type Unsubscribe,
} from '@/lib/chat-client';

/** Hub methods and events of docs/realtime-protocol.md, named in one place. */
export const HubMethods = {
  getSubscribedConversations: 'GetSubscribedConversations',
  getMessages: 'GetMessages',
  sendMessage: 'SendMessage',
  updateToken: 'UpdateToken',
} as const;

export const HubEvents = {
  messageAdded: 'messageAdded',
} as const;

type HubConversation = {
  sid: string;
  uniqueName: string | null;
  friendlyName: string | null;
};

type HubMessage = {
  sid: string;
  index: number;
  conversationSid: string;
  author: string | null;
  body: string | null;
  dateCreated: string | null;
};

type HubMessagePage = { items: HubMessage[]; hasPrevPage: boolean };

/** The part of SignalR's HubConnection the adapter uses, so tests can hand in a fake. */
export interface HubConnectionLike {
  start(): Promise<void>;
  stop(): Promise<void>;
  invoke<T>(methodName: string, ...args: unknown[]): Promise<T>;
  on(methodName: string, handler: (...args: never[]) => void): void;
  off(methodName: string): void;
  onclose(callback: (error?: Error) => void): void;
  onreconnecting(callback: (error?: Error) => void): void;
  onreconnected(callback: (connectionId?: string) => void): void;
}

export type HubConnectionFactory = (hubUrl: string, accessTokenFactory: () => string) => HubConnectionLike;

export const createHubConnection: HubConnectionFactory = (hubUrl, accessTokenFactory) =>
  new HubConnectionBuilder()
    // Absolute, so a relative hub URL (the default "/emulator/hub") works wherever SignalR runs.
    .withUrl(new URL(hubUrl, globalThis.location?.href ?? 'http://localhost/').toString(), { accessTokenFactory })
    .withAutomaticReconnect()
    .configureLogging(LogLevel.Warning)
    .build();

function toMessage(message: HubMessage): ChatMessage {
  return {
    sid: message.sid,
    index: message.index,
    roomSid: message.conversationSid,
    author: message.author,
    body: message.body,
    dateCreated: message.dateCreated,
  };
}

function toRoom(conversation: HubConversation): ChatRoom {
  return { sid: conversation.sid, name: conversation.friendlyName ?? conversation.uniqueName ?? conversation.sid };
}

/** Hub errors arrive as "An unexpected error occurred invoking 'X' on the server. HubException: Twilio error ..." */
function readableHubError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const twilio = /Twilio error \d+: .*/.exec(message);
  return new Error(twilio ? twilio[0] : message);
}

/** The emulator's adapter: one module owns the SignalR connection and its listeners. */
export class EmulatorChatClient implements ChatClient {
  readonly #connection: HubConnectionLike;
  readonly #messageAdded = new Listeners<ChatMessage>();
  readonly #stateChanged = new Listeners<ConnectionState>();
  #token: string;
  #state: ConnectionState = 'disconnected';
  #shutDown = false;

  constructor(options: { hubUrl: string; token: string; connectionFactory?: HubConnectionFactory }) {
    this.#token = options.token;
    const factory = options.connectionFactory ?? createHubConnection;
    this.#connection = factory(options.hubUrl, () => this.#token);
    // Listeners before start: events are never missed between subscribing and loading history.
    this.#connection.on(HubEvents.messageAdded, (message: HubMessage) => this.#messageAdded.emit(toMessage(message)));
    this.#connection.onreconnecting(() => this.#setState('reconnecting'));
    this.#connection.onreconnected(() => this.#setState('connected'));
    this.#connection.onclose(() => this.#setState('disconnected'));
  }

  get connectionState(): ConnectionState {
    return this.#state;
  }

  async connect(): Promise<void> {
    if (this.#shutDown) throw new Error('The chat client was shut down.');
    this.#setState('connecting');
    try {
      await this.#connection.start();
      this.#setState('connected');
    } catch (error) {
      this.#setState('disconnected');
      throw readableHubError(error);
    }
  }

  async getRooms(): Promise<ChatRoom[]> {
    const conversations = await this.#invoke<HubConversation[]>(HubMethods.getSubscribedConversations);
    return conversations.map(toRoom);
  }

  async getMessages(roomSid: string, pageSize: number, anchor?: number): Promise<MessagePage> {
    const page = await this.#invoke<HubMessagePage>(HubMethods.getMessages, roomSid, pageSize, anchor ?? null);
    return { items: page.items.map(toMessage), hasPrevPage: page.hasPrevPage };
  }

  sendMessage(roomSid: string, body: string): Promise<number> {
    return this.#invoke<number>(HubMethods.sendMessage, roomSid, body);
  }

  onMessageAdded(listener: (message: ChatMessage) => void): Unsubscribe {
    return this.#messageAdded.add(listener);
  }

  onConnectionStateChanged(listener: (state: ConnectionState) => void): Unsubscribe {
    return this.#stateChanged.add(listener);
  }

  async updateToken(token: string): Promise<void> {
    // The factory reads the current token, so reconnects use the fresh one too.
    this.#token = token;
    if (this.#state === 'connected') await this.#invoke<void>(HubMethods.updateToken, token);
  }

  async shutdown(): Promise<void> {
    if (this.#shutDown) return;
    this.#shutDown = true;
    try {
      await this.#connection.stop();
    } finally {
      this.#setState('disconnected');
      this.#messageAdded.clear();
      this.#stateChanged.clear();
      this.#connection.off(HubEvents.messageAdded);
    }
  }

  async #invoke<T>(method: string, ...args: unknown[]): Promise<T> {
    try {
      return await this.#connection.invoke<T>(method, ...args);
    } catch (error) {
      throw readableHubError(error);
    }
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#stateChanged.emit(state);
  }
}

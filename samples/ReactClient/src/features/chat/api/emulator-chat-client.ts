import { HubConnectionBuilder, LogLevel } from '@microsoft/signalr';

import {
  ChatEmitter,
  readRoomKind,
  type ChatClient,
  type ChatEventName,
  type ChatEvents,
  type ChatMember,
  type ChatMessage,
  type ChatRoom,
  type ConnectionState,
  type MessagePage,
  type TypingEvent,
  type Unsubscribe,
} from '@/lib/chat-client';

/** Hub methods and events of docs/realtime-protocol.md, named in one place. */
const HubMethods = {
  getSubscribedConversations: 'GetSubscribedConversations',
  getMessages: 'GetMessages',
  sendMessage: 'SendMessage',
  updateMessage: 'UpdateMessage',
  removeMessage: 'RemoveMessage',
  typing: 'Typing',
  getParticipants: 'GetParticipants',
  setAllMessagesRead: 'SetAllMessagesRead',
  getUnreadMessagesCount: 'GetUnreadMessagesCount',
  updateToken: 'UpdateToken',
} as const;

const HubEvents = {
  messageAdded: 'messageAdded',
  messageUpdated: 'messageUpdated',
  messageRemoved: 'messageRemoved',
  participantJoined: 'participantJoined',
  participantLeft: 'participantLeft',
  participantUpdated: 'participantUpdated',
  conversationAdded: 'conversationAdded',
  conversationUpdated: 'conversationUpdated',
  conversationRemoved: 'conversationRemoved',
  typingStarted: 'typingStarted',
  typingEnded: 'typingEnded',
} as const;

type HubConversation = {
  sid: string;
  uniqueName: string | null;
  friendlyName: string | null;
  attributes?: unknown;
};

type HubMessage = {
  sid: string;
  index: number;
  conversationSid: string;
  author: string | null;
  body: string | null;
  dateCreated: string | null;
  dateUpdated?: string | null;
};

type HubParticipant = {
  sid: string;
  conversationSid: string;
  identity: string | null;
  type: string;
  address: string | null;
  isOnline: boolean | null;
};

type HubTyping = { conversationSid: string; identity: string; participantSid: string };

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

const createHubConnection: HubConnectionFactory = (hubUrl, accessTokenFactory) =>
  new HubConnectionBuilder()
    // Absolute, so a relative hub URL (the default "/emulator/hub") works wherever SignalR runs.
    .withUrl(new URL(hubUrl, globalThis.location?.href ?? 'http://localhost/').toString(), { accessTokenFactory })
    .withAutomaticReconnect()
    .configureLogging(LogLevel.Warning)
    .build();

function isEdited(dateCreated: string | null, dateUpdated: string | null | undefined): boolean {
  if (!dateCreated || !dateUpdated) return false;
  const created = Date.parse(dateCreated);
  const updated = Date.parse(dateUpdated);
  return !Number.isNaN(created) && !Number.isNaN(updated) && updated > created;
}

function toMessage(message: HubMessage, edited = isEdited(message.dateCreated, message.dateUpdated)): ChatMessage {
  return {
    sid: message.sid,
    index: message.index,
    roomSid: message.conversationSid,
    author: message.author,
    body: message.body,
    dateCreated: message.dateCreated,
    edited,
  };
}

function toRoom(conversation: HubConversation): ChatRoom {
  return {
    sid: conversation.sid,
    name: conversation.friendlyName ?? conversation.uniqueName ?? conversation.sid,
    ...readRoomKind(conversation.attributes),
  };
}

function toMember(participant: HubParticipant): ChatMember {
  const sms = participant.type === 'sms';
  return {
    sid: participant.sid,
    roomSid: participant.conversationSid,
    identity: participant.identity,
    kind: sms ? 'sms' : 'chat',
    address: participant.address,
    online: sms ? null : participant.isOnline ?? null,
  };
}

function toTyping(typing: HubTyping): TypingEvent {
  return { roomSid: typing.conversationSid, identity: typing.identity };
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
  readonly #events = new ChatEmitter();
  #token: string;
  #state: ConnectionState = 'disconnected';
  #shutDown = false;

  constructor(options: { hubUrl: string; token: string; connectionFactory?: HubConnectionFactory }) {
    this.#token = options.token;
    const factory = options.connectionFactory ?? createHubConnection;
    this.#connection = factory(options.hubUrl, () => this.#token);
    // Listeners before start: events are never missed between subscribing and loading history.
    const on = <T>(hubEvent: string, handler: (value: T) => void) =>
      this.#connection.on(hubEvent, handler as (...args: never[]) => void);
    on<HubMessage>(HubEvents.messageAdded, (m) => this.#events.emit('messageAdded', toMessage(m)));
    // An update changes the body (the only thing the client edits), so it is an edit.
    on<HubMessage>(HubEvents.messageUpdated, (m) => this.#events.emit('messageUpdated', toMessage(m, true)));
    on<HubMessage>(HubEvents.messageRemoved, (m) => this.#events.emit('messageRemoved', toMessage(m)));
    on<HubParticipant>(HubEvents.participantJoined, (p) => this.#events.emit('memberJoined', toMember(p)));
    on<HubParticipant>(HubEvents.participantLeft, (p) => this.#events.emit('memberLeft', toMember(p)));
    on<HubParticipant>(HubEvents.participantUpdated, (p) => this.#events.emit('memberUpdated', toMember(p)));
    on<HubConversation>(HubEvents.conversationAdded, (c) => this.#events.emit('roomAdded', toRoom(c)));
    on<HubConversation>(HubEvents.conversationUpdated, (c) => this.#events.emit('roomUpdated', toRoom(c)));
    on<HubConversation>(HubEvents.conversationRemoved, (c) => this.#events.emit('roomRemoved', toRoom(c)));
    on<HubTyping>(HubEvents.typingStarted, (t) => this.#events.emit('typingStarted', toTyping(t)));
    on<HubTyping>(HubEvents.typingEnded, (t) => this.#events.emit('typingEnded', toTyping(t)));
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
    return { items: page.items.map((m) => toMessage(m)), hasPrevPage: page.hasPrevPage };
  }

  sendMessage(roomSid: string, body: string): Promise<number> {
    return this.#invoke<number>(HubMethods.sendMessage, roomSid, body);
  }

  async updateMessage(roomSid: string, index: number, body: string): Promise<void> {
    await this.#invoke<HubMessage>(HubMethods.updateMessage, roomSid, index, body);
  }

  async removeMessage(roomSid: string, index: number): Promise<void> {
    await this.#invoke<void>(HubMethods.removeMessage, roomSid, index);
  }

  async getMembers(roomSid: string): Promise<ChatMember[]> {
    const participants = await this.#invoke<HubParticipant[]>(HubMethods.getParticipants, roomSid);
    return participants.map(toMember);
  }

  async typing(roomSid: string): Promise<void> {
    await this.#invoke<void>(HubMethods.typing, roomSid);
  }

  async getUnreadCount(roomSid: string): Promise<number | null> {
    const count = await this.#invoke<number | null>(HubMethods.getUnreadMessagesCount, roomSid);
    return typeof count === 'number' ? count : null;
  }

  async setAllMessagesRead(roomSid: string): Promise<void> {
    await this.#invoke<number | null>(HubMethods.setAllMessagesRead, roomSid);
  }

  on<K extends ChatEventName>(event: K, listener: (value: ChatEvents[K]) => void): Unsubscribe {
    return this.#events.on(event, listener);
  }

  onMessageAdded(listener: (message: ChatMessage) => void): Unsubscribe {
    return this.#events.on('messageAdded', listener);
  }

  onConnectionStateChanged(listener: (state: ConnectionState) => void): Unsubscribe {
    return this.#events.on('connectionStateChanged', listener);
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
      this.#events.clear();
      for (const hubEvent of Object.values(HubEvents)) this.#connection.off(hubEvent);
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
    this.#events.emit('connectionStateChanged', state);
  }
}

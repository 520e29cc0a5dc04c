// Only ever loaded with a dynamic import() from create-chat-client.ts, so the SDK is a separate chunk that the
// emulator mode never downloads.
import { Client, type Conversation, type Message, type Paginator } from '@twilio/conversations';

import {
  Listeners,
  type ChatClient,
  type ChatMessage,
  type ChatRoom,
  type ConnectionState,
  type MessagePage,
  type Unsubscribe,
} from '@/lib/chat-client';

function toMessage(message: Message): ChatMessage {
  return {
    sid: message.sid,
    index: message.index,
    roomSid: message.conversation.sid,
    author: message.author,
    body: message.body,
    dateCreated: message.dateCreated ? message.dateCreated.toISOString() : null,
  };
}

function toRoom(conversation: Conversation): ChatRoom {
  return { sid: conversation.sid, name: conversation.friendlyName ?? conversation.uniqueName ?? conversation.sid };
}

/** Twilio's adapter over `@twilio/conversations`. */
export class TwilioChatClient implements ChatClient {
  readonly #token: string;
  readonly #messageAdded = new Listeners<ChatMessage>();
  readonly #stateChanged = new Listeners<ConnectionState>();
  readonly #conversations = new Map<string, Conversation>();
  #client: Client | null = null;
  #state: ConnectionState = 'disconnected';
  #everConnected = false;
  #shutDown = false;

  constructor(options: { token: string }) {
    this.#token = options.token;
  }

  get connectionState(): ConnectionState {
    return this.#state;
  }

  async connect(): Promise<void> {
    if (this.#shutDown) throw new Error('The chat client was shut down.');
    if (this.#client) return;
    this.#setState('connecting');
    const client = new Client(this.#token);
    this.#client = client;
    // Subscribe before anything is loaded, so history and live events merge without gaps.
    client.on('messageAdded', (message: Message) => this.#messageAdded.emit(toMessage(message)));
    client.on('connectionStateChanged', (state) => {
      switch (state) {
        case 'connected':
          this.#everConnected = true;
          this.#setState('connected');
          break;
        case 'connecting':
          this.#setState(this.#everConnected ? 'reconnecting' : 'connecting');
          break;
        default:
          this.#setState('disconnected');
      }
    });
    await new Promise<void>((resolve, reject) => {
      client.once('initialized', () => resolve());
      client.once('initFailed', ({ error }) => reject(new Error(error?.message ?? 'Could not connect to Twilio.')));
    }).catch((error: unknown) => {
      this.#setState('disconnected');
      throw error;
    });
    this.#everConnected = true;
    this.#setState('connected');
  }

  async getRooms(): Promise<ChatRoom[]> {
    const rooms: ChatRoom[] = [];
    let page: Paginator<Conversation> | null = await this.#requireClient().getSubscribedConversations();
    while (page) {
      for (const conversation of page.items) {
        this.#conversations.set(conversation.sid, conversation);
        rooms.push(toRoom(conversation));
      }
      page = page.hasNextPage ? await page.nextPage() : null;
    }
    return rooms;
  }

  async getMessages(roomSid: string, pageSize: number, anchor?: number): Promise<MessagePage> {
    if (anchor !== undefined && anchor <= 0) return { items: [], hasPrevPage: false };
    const conversation = await this.#conversation(roomSid);
    // The SDK's anchor is inclusive; the seam's is exclusive (like the hub's).
    const page = await conversation.getMessages(pageSize, anchor === undefined ? undefined : anchor - 1, 'backwards');
    const items = page.items.map(toMessage).filter((m) => anchor === undefined || m.index < anchor);
    return { items: items.sort((a, b) => a.index - b.index), hasPrevPage: page.hasPrevPage };
  }

  async sendMessage(roomSid: string, body: string): Promise<number> {
    const conversation = await this.#conversation(roomSid);
    return conversation.sendMessage(body);
  }

  onMessageAdded(listener: (message: ChatMessage) => void): Unsubscribe {
    return this.#messageAdded.add(listener);
  }

  onConnectionStateChanged(listener: (state: ConnectionState) => void): Unsubscribe {
    return this.#stateChanged.add(listener);
  }

  async updateToken(token: string): Promise<void> {
    await this.#requireClient().updateToken(token);
  }

  async shutdown(): Promise<void> {
    if (this.#shutDown) return;
    this.#shutDown = true;
    const client = this.#client;
    this.#client = null;
    try {
      if (client) {
        client.removeAllListeners();
        await client.shutdown();
      }
    } finally {
      this.#setState('disconnected');
      this.#messageAdded.clear();
      this.#stateChanged.clear();
    }
  }

  async #conversation(sid: string): Promise<Conversation> {
    const known = this.#conversations.get(sid);
    if (known) return known;
    const conversation = await this.#requireClient().getConversationBySid(sid);
    this.#conversations.set(sid, conversation);
    return conversation;
  }

  #requireClient(): Client {
    if (!this.#client) throw new Error('Not connected.');
    return this.#client;
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#stateChanged.emit(state);
  }
}

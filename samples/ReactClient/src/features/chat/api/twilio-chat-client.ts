// Loaded with a dynamic import() from create-chat-client.ts, so the SDK is a chunk of its own.
import { Client, type Conversation, type Message, type Paginator, type Participant } from '@twilio/conversations';

import { ChatEmitter } from './chat-emitter';
import {
  ChatRefusal,
  type ChatClient,
  type ChatEventName,
  type ChatEvents,
  type ChatMember,
  type ChatMessage,
  type ChatRoom,
  type ConnectionState,
  type MessagePage,
  type ReadHorizon,
  type Unsubscribe,
} from '../types';
import { hasReacted, readReactions, type ReactionKey, withReaction } from '../reactions';
import { MemberPresence } from './member-presence';
import { toMessage, toRoom } from './sdk-mapping';

function messageKey(roomSid: string, index: number): string {
  return `${roomSid}#${index}`;
}

function reactionKey(roomSid: string, index: number, reaction: ReactionKey): string {
  return `${roomSid}#${index}#${reaction}`;
}

/**
 * The SDK opens its socket with `new WebSocket(uri)`: a path the host named (`/emulator/twilsock`) becomes an
 * absolute `ws:` / `wss:` address on the page's own origin.
 */
export function resolveSdkOptions(options: { Twilsock?: { uri: string } }): { Twilsock?: { uri: string } } {
  const uri = options.Twilsock?.uri;
  if (!uri || /^wss?:\/\//.test(uri) || typeof window === 'undefined') return options;
  const absolute = new URL(uri, window.location.href);
  absolute.protocol = absolute.protocol === 'https:' ? 'wss:' : 'ws:';
  return { ...options, Twilsock: { uri: absolute.toString() } };
}

/** Whether an SDK error is Twilio's refusal of a change by a pre-event webhook (HTTP 403, error 20403). */
export function refusedByWebhook(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, code, body } = error as { status?: unknown; code?: unknown; body?: { code?: unknown } };
  return status === 403 && (code === 20403 || body?.code === 20403 || code === undefined);
}

/**
 * The HTTP status of an SDK request that failed (twilsock's upstream error: `status`, and Twilio's error `body`) and
 * the reason Twilio gave, when it gave one.
 */
export function sdkFailure(error: unknown): { status: number | null; reason: string | null } {
  if (typeof error !== 'object' || error === null) return { status: null, reason: null };
  const { status, body, message } = error as { status?: unknown; body?: unknown; message?: unknown };
  let detail: unknown = body;
  if (typeof detail === 'string') {
    try {
      detail = JSON.parse(detail) as unknown;
    } catch {
      detail = undefined;
    }
  }
  const bodyMessage = typeof detail === 'object' && detail !== null ? (detail as { message?: unknown }).message : undefined;
  const reason = typeof bodyMessage === 'string' && bodyMessage ? bodyMessage : typeof message === 'string' && message ? message : null;
  return { status: typeof status === 'number' ? status : null, reason };
}

/** The attributes that mark a conversation as a group (`features/chat/rooms.ts` reads them back). */
export const groupAttributes = { chatrooms: { kind: 'group' } } as const;

function readHorizonOf(conversation: Conversation): ReadHorizon {
  return { lastReadIndex: conversation.lastReadMessageIndex ?? null, lastMessageIndex: conversation.lastMessage?.index ?? null };
}

/** The chat adapter over Twilio's `@twilio/conversations`, on Twilio and on the emulator. */
export class TwilioChatClient implements ChatClient {
  readonly #token: string;
  readonly #sdkOptions: { Twilsock?: { uri: string } };
  readonly #events = new ChatEmitter();
  readonly #conversations = new Map<string, Conversation>();
  /** Messages seen, so an edit or a delete can reach the SDK's Message object. */
  readonly #messages = new Map<string, Message>();
  /** The members' online state, passed on as member updates. */
  readonly #presence = new MemberPresence((member) => this.#events.emit('memberUpdated', member));
  /**
   * The reactions the user set or took back in this session, by message and reaction, with how often each was put
   * back: a message that comes back contradicting one lost it to a write made at the same moment.
   */
  readonly #reactionIntents = new Map<string, { chosen: boolean; restored: number }>();
  #client: Client | null = null;
  #state: ConnectionState = 'disconnected';
  #everConnected = false;
  #shutDown = false;

  constructor(options: { token: string; sdkOptions?: { Twilsock?: { uri: string } } }) {
    this.#token = options.token;
    this.#sdkOptions = options.sdkOptions ?? {};
  }

  get connectionState(): ConnectionState {
    return this.#state;
  }

  get identity(): string | null {
    return this.#client?.user?.identity ?? null;
  }

  async connect(): Promise<void> {
    if (this.#shutDown) throw new Error('The chat client was shut down.');
    if (this.#client) return;
    this.#setState('connecting');
    const client = new Client(this.#token, resolveSdkOptions(this.#sdkOptions));
    this.#client = client;
    // Subscribe before anything is loaded, so history and live events merge without gaps.
    client.on('messageAdded', (message: Message) => {
      this.#rememberMessage(message);
      this.#events.emit('messageAdded', toMessage(message));
    });
    client.on('messageUpdated', ({ message, updateReasons }) => {
      this.#rememberMessage(message);
      this.#events.emit('messageUpdated', toMessage(message, updateReasons.includes('body') ? true : undefined));
      if (updateReasons.includes('attributes')) this.#restoreReactions(message);
    });
    client.on('messageRemoved', (message: Message) => {
      this.#messages.delete(messageKey(message.conversation.sid, message.index));
      this.#events.emit('messageRemoved', toMessage(message));
    });
    client.on('participantJoined', (participant: Participant) => {
      this.#events.emit('memberJoined', this.#presence.toMember(participant));
      void this.#presence.watch(participant);
    });
    client.on('participantLeft', (participant: Participant) => {
      this.#presence.forget(participant.sid);
      this.#events.emit('memberLeft', this.#presence.toMember(participant));
    });
    client.on('participantUpdated', ({ participant }) => this.#events.emit('memberUpdated', this.#presence.toMember(participant)));
    client.on('typingStarted', (participant: Participant) => {
      if (participant.identity)
        this.#events.emit('typingStarted', { roomSid: participant.conversation.sid, identity: participant.identity });
    });
    client.on('typingEnded', (participant: Participant) => {
      if (participant.identity)
        this.#events.emit('typingEnded', { roomSid: participant.conversation.sid, identity: participant.identity });
    });
    client.on('conversationAdded', (conversation: Conversation) => {
      this.#conversations.set(conversation.sid, conversation);
      this.#events.emit('roomAdded', toRoom(conversation));
    });
    client.on('conversationUpdated', ({ conversation, updateReasons }) => {
      this.#events.emit('roomUpdated', toRoom(conversation));
      if (updateReasons.includes('lastReadMessageIndex') || updateReasons.includes('lastMessage')) {
        this.#events.emit('readHorizonUpdated', { roomSid: conversation.sid, ...readHorizonOf(conversation) });
      }
    });
    const removed = (conversation: Conversation) => {
      this.#conversations.delete(conversation.sid);
      this.#events.emit('roomRemoved', toRoom(conversation));
    };
    client.on('conversationLeft', removed);
    client.on('conversationRemoved', removed);
    // Twilio sends these before a token runs out and when it has (or, on the emulator, was revoked by a sign-out).
    client.on('tokenAboutToExpire', () => this.#events.emit('tokenExpiring', { expired: false }));
    client.on('tokenExpired', () => this.#events.emit('tokenExpiring', { expired: true }));
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
    // The SDK's anchor is inclusive; the seam's is exclusive.
    const page = await conversation.getMessages(pageSize, anchor === undefined ? undefined : anchor - 1, 'backwards');
    for (const message of page.items) this.#rememberMessage(message);
    const items = page.items.map((m) => toMessage(m)).filter((m) => anchor === undefined || m.index < anchor);
    return { items: items.sort((a, b) => a.index - b.index), hasPrevPage: page.hasPrevPage };
  }

  async sendMessage(roomSid: string, body: string): Promise<number> {
    const conversation = await this.#conversation(roomSid);
    try {
      return await conversation.sendMessage(body);
    } catch (error) {
      // A pre-event webhook (the chat's moderation) answered no: Twilio refuses with 403 and tells no reason.
      if (refusedByWebhook(error)) throw new Error("this chat's moderation refused it.");
      throw error;
    }
  }

  async sendFiles(roomSid: string, files: File[], body: string): Promise<number> {
    const conversation = await this.#conversation(roomSid);
    // Each file goes to the media service (Twilio's, or the emulator's, which its configuration names), then one
    // message holds them all.
    let builder = conversation.prepareMessage();
    if (body) builder = builder.setBody(body);
    for (const file of files) {
      builder = builder.addMedia({ contentType: file.type || 'application/octet-stream', filename: file.name, media: file });
    }
    const index = await builder.build().send();
    if (index === undefined || index === null) throw new Error('The message was not sent.');
    return index;
  }

  async getAttachmentUrl(roomSid: string, messageIndex: number, attachmentSid: string): Promise<string> {
    const message = await this.#message(roomSid, messageIndex);
    const media = (message.attachedMedia ?? []).find((m) => m.sid === attachmentSid);
    const url = media ? await media.getContentTemporaryUrl() : null;
    if (!url) throw new Error('The file is not available.');
    return url;
  }

  async updateMessage(roomSid: string, index: number, body: string): Promise<void> {
    const message = await this.#message(roomSid, index);
    await message.updateBody(body);
  }

  async removeMessage(roomSid: string, index: number): Promise<void> {
    const message = await this.#message(roomSid, index);
    await message.remove();
  }

  async setReaction(roomSid: string, index: number, reaction: ReactionKey, chosen: boolean): Promise<void> {
    const me = this.identity;
    if (!me) throw new Error('Not connected.');
    const message = await this.#message(roomSid, index);
    this.#reactionIntents.set(reactionKey(roomSid, index, reaction), { chosen, restored: 0 });
    // The SDK's copy of the attributes is the newest it has seen; the whole of them is written back.
    await message.updateAttributes(withReaction(message.attributes, reaction, me, chosen));
  }

  async getMembers(roomSid: string): Promise<ChatMember[]> {
    const conversation = await this.#conversation(roomSid);
    const participants = await conversation.getParticipants();
    await this.#presence.watchAll(participants);
    return participants.map((participant) => this.#presence.toMember(participant));
  }

  async typing(roomSid: string): Promise<void> {
    const conversation = await this.#conversation(roomSid);
    await conversation.typing();
  }

  async getReadHorizon(roomSid: string): Promise<ReadHorizon> {
    // The SDK keeps both live from the conversation's Sync objects, so no request is made (and none answers stale).
    return readHorizonOf(await this.#conversation(roomSid));
  }

  async markReadUpTo(roomSid: string, index: number): Promise<void> {
    const conversation = await this.#conversation(roomSid);
    // Not setAllMessagesRead: it reads the newest message when it runs, so on a slow connection it also marked read
    // what arrived after the user had left the room.
    await conversation.advanceLastReadMessageIndex(index);
  }

  async createGroup(name: string): Promise<ChatRoom> {
    const client = this.#requireClient();
    // As Twilio's demo does: create, then join, so the creator gets the service's conversation-creator role.
    const conversation = await client.createConversation({ friendlyName: name, attributes: groupAttributes });
    await conversation.join();
    this.#conversations.set(conversation.sid, conversation);
    return toRoom(conversation);
  }

  async addMember(roomSid: string, identity: string): Promise<void> {
    const client = this.#requireClient();
    const conversation = await this.#conversation(roomSid);
    // Twilio's add() takes any identity and makes the user when missing; the web host makes a user at each sign-in, so
    // an identity without one has never signed in and would only be a name nobody answers to.
    try {
      await client.getUser(identity);
    } catch (error) {
      if (sdkFailure(error).status === 404) throw new ChatRefusal('unknown-user', `${identity} has never signed in to this chat.`);
      throw error;
    }
    try {
      await conversation.add(identity);
    } catch (error) {
      const { status, reason } = sdkFailure(error);
      if (status === 403) throw new ChatRefusal('not-allowed', reason ?? 'your role in this conversation does not allow it.');
      throw error;
    }
  }

  async leaveGroup(roomSid: string): Promise<void> {
    const conversation = await this.#conversation(roomSid);
    await conversation.leave();
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
      this.#events.clear();
    }
  }

  /**
   * Twilio replaces a message's attributes whole, with no conditional update (no version or If-Match on a message
   * update), so of two reactions written at the same moment from the same old attributes the later write drops the
   * earlier one. Each client watches the message's updates: one by someone else (`lastUpdatedBy`) that contradicts what
   * its user chose (in this session) puts it back on top of what is there now, at most three times per choice; one by
   * the user (another of their devices) is their new choice and is kept.
   */
  #restoreReactions(message: Message): void {
    const me = this.identity;
    if (!me) return;
    const reactions = readReactions(message.attributes);
    for (const [key, intent] of this.#reactionIntents) {
      const [roomSid, index, reaction] = key.split('#');
      if (roomSid !== message.conversation.sid || Number(index) !== message.index) continue;
      const name = reaction as ReactionKey;
      if (hasReacted(reactions, name, me) === intent.chosen) continue;
      // The user changed it since, on another device: that choice stands.
      if (intent.restored >= 3 || message.lastUpdatedBy === me) {
        this.#reactionIntents.delete(key);
        continue;
      }
      intent.restored += 1;
      void message.updateAttributes(withReaction(message.attributes, name, me, intent.chosen)).catch(() => this.#reactionIntents.delete(key));
    }
  }

  #rememberMessage(message: Message): void {
    this.#messages.set(messageKey(message.conversation.sid, message.index), message);
  }

  async #message(roomSid: string, index: number): Promise<Message> {
    const known = this.#messages.get(messageKey(roomSid, index));
    if (known) return known;
    const conversation = await this.#conversation(roomSid);
    const page = await conversation.getMessages(1, index, 'backwards');
    const found = page.items.find((m) => m.index === index);
    if (!found) throw new Error('The message no longer exists.');
    this.#rememberMessage(found);
    return found;
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
    this.#events.emit('connectionStateChanged', state);
  }
}

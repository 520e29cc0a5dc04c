/**
 * The one seam between the components and a chat back end. One adapter implements it, on Twilio's browser SDK
 * (`@twilio/conversations`), against Twilio or the emulator's twilsock face; components only ever see this interface.
 */
import { type ReactionKey, type Reactions } from './reactions';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/**
 * A room (a conversation with a unique name, listed by the host), a private conversation between two users (made by
 * the host), or a group a user made with the SDK (its creator adds the members).
 */
export type RoomKind = 'room' | 'private' | 'group';

export type ChatRoom = {
  sid: string;
  /**
   * The friendly name (else the unique name) as the back end has it; a private one is shown by its other member, a
   * group by this name.
   */
  name: string;
  kind: RoomKind;
  /** The identities of a private conversation, from its attributes; empty for a room or a group. */
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
  /** Who chose each reaction, from the message's attributes (features/chat/reactions.ts). */
  reactions: Reactions;
  /** The files the message holds (pictures, documents); none when absent. */
  attachments?: ChatAttachment[];
};

/** A file a message holds; its bytes are fetched by a URL that expires (`getAttachmentUrl`). */
export type ChatAttachment = {
  sid: string;
  filename: string | null;
  contentType: string;
  /** Bytes. */
  size: number;
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
  /**
   * The index of the last message the member has read in the room (their read horizon), null when they have read
   * none yet or when it is not kept (an SMS participant).
   */
  lastReadIndex: number | null;
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
   * The user's read horizon or the room's last message moved on the back end: read on another device or tab, or a
   * message arrived. Both only move forward.
   */
  readHorizonUpdated: { roomSid: string } & ReadHorizon;
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
  /** Uploads the files and sends one message holding them, with `body` when it is not empty; resolves to its index. */
  sendFiles(roomSid: string, files: File[], body: string): Promise<number>;
  /** A fresh URL of an attachment's bytes (it expires: ask again to show it later). */
  getAttachmentUrl(roomSid: string, messageIndex: number, attachmentSid: string): Promise<string>;
  updateMessage(roomSid: string, index: number, body: string): Promise<void>;
  removeMessage(roomSid: string, index: number): Promise<void>;
  /**
   * Adds (`chosen`) or takes back the user's `reaction` to a message, keeping everyone else's. The message's attributes
   * are replaced whole and Twilio offers no conditional update, so a reaction written at the same moment as another
   * can be lost: the client puts the user's back when the message comes back without it (a few times at most).
   */
  setReaction(roomSid: string, index: number, reaction: ReactionKey, chosen: boolean): Promise<void>;
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
  /**
   * Makes a group named `name` (SDK `createConversation` with the attributes `{"chatrooms":{"kind":"group"}}`) and
   * joins it: its creator joins with the service's conversation-creator role, which lets them add members.
   */
  createGroup(name: string): Promise<ChatRoom>;
  /**
   * Adds `identity` to a group (SDK `conversation.add`). Refused with {@link ChatRefusal} `unknown-user` when no such
   * user exists on the back end (nobody who ever signed in), `not-allowed` when the user's role does not grant it.
   */
  addMember(roomSid: string, identity: string): Promise<void>;
  /** Leaves a group (SDK `conversation.leave()`); its `roomRemoved` follows. */
  leaveGroup(roomSid: string): Promise<void>;
  on<K extends ChatEventName>(event: K, listener: (value: ChatEvents[K]) => void): Unsubscribe;
  onMessageAdded(listener: (message: ChatMessage) => void): Unsubscribe;
  onConnectionStateChanged(listener: (state: ConnectionState) => void): Unsubscribe;
  updateToken(token: string): Promise<void>;
  shutdown(): Promise<void>;
}

/** Why the back end refused an action, when the user can do something about it. */
export class ChatRefusal extends Error {
  constructor(
    readonly reason: 'not-allowed' | 'unknown-user',
    message: string,
  ) {
    super(message);
    this.name = 'ChatRefusal';
  }
}

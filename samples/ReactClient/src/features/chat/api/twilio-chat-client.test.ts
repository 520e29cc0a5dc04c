import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { ConnectionState } from '../types';

// A fake of the SDK module: a Client that emits events on the test's command.
const sdk = vi.hoisted(() => {
  type Handler = (...args: unknown[]) => void;

  class FakeEmitter {
    readonly handlers = new Map<string, Handler[]>();
    on(event: string, handler: Handler) {
      this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
      return this;
    }
    once(event: string, handler: Handler) {
      return this.on(event, handler);
    }
    removeAllListeners() {
      this.handlers.clear();
      return this;
    }
    emit(event: string, ...args: unknown[]) {
      for (const handler of this.handlers.get(event) ?? []) handler(...args);
    }
  }

  const instances: FakeClient[] = [];

  class FakeClient extends FakeEmitter {
    readonly token: string;
    readonly options: unknown;
    conversations: unknown[] = [];
    readonly user = { identity: 'alice' };
    readonly updateToken = vi.fn(async () => this);
    readonly shutdown = vi.fn(async () => undefined);
    readonly createConversation = vi.fn(async (_options: unknown): Promise<unknown> => {
      throw new Error('No conversation set up.');
    });
    readonly getUser = vi.fn(async (identity: string): Promise<unknown> => ({ identity }));
    readonly getConversationBySid = vi.fn(async (sid: string) => {
      const found = this.conversations.find((c) => (c as { sid: string }).sid === sid);
      if (!found) throw new Error('Not found');
      return found;
    });
    readonly getSubscribedConversations = vi.fn(async () => ({
      items: this.conversations.slice(0, 1),
      hasNextPage: this.conversations.length > 1,
      hasPrevPage: false,
      nextPage: async () => ({
        items: this.conversations.slice(1),
        hasNextPage: false,
        hasPrevPage: true,
        nextPage: async () => undefined,
        prevPage: async () => undefined,
      }),
      prevPage: async () => undefined,
    }));

    constructor(token: string, options?: unknown) {
      super();
      this.token = token;
      this.options = options;
      instances.push(this);
    }
  }

  return { FakeClient, FakeEmitter, instances };
});

vi.mock('@twilio/conversations', () => ({ Client: sdk.FakeClient }));

const { TwilioChatClient, resolveSdkOptions } = await import('./twilio-chat-client');
const { userWaitMs } = await import('./member-presence');

function sdkMessage(sid: string, index: number, body: string, extra: Record<string, unknown> = {}) {
  return {
    sid: `IM${index}`,
    index,
    author: 'alice',
    body,
    dateCreated: new Date('2026-11-25T06:00:00Z'),
    dateUpdated: new Date('2026-11-25T06:00:00Z'),
    conversation: { sid },
    updateBody: vi.fn(async () => undefined),
    remove: vi.fn(async () => undefined),
    ...extra,
  };
}

class FakeUser extends sdk.FakeEmitter {
  constructor(
    readonly identity: string,
    public isOnline: boolean | null,
  ) {
    super();
  }

  goes(online: boolean) {
    this.isOnline = online;
    this.emit('updated', { user: this, updateReasons: ['reachabilityOnline'] });
  }
}

function participant(sid: string, conversationSid: string, identity: string | null, user?: FakeUser | null, extra: Record<string, unknown> = {}) {
  return {
    sid,
    identity,
    type: 'chat',
    bindings: {},
    conversation: { sid: conversationSid },
    getUser: vi.fn(async () => {
      if (!user) throw new Error('No such user');
      return user;
    }),
    ...extra,
  };
}

function conversation(sid: string, friendlyName: string | null, uniqueName: string | null, attributes: unknown = {}) {
  return {
    sid,
    friendlyName,
    uniqueName,
    attributes,
    participants: [] as unknown[],
    getParticipants: vi.fn(async function (this: { participants: unknown[] }) {
      return this.participants;
    }),
    typing: vi.fn(async () => undefined),
    lastReadMessageIndex: 2 as number | null,
    lastMessage: { index: 7 } as { index?: number } | undefined,
    setAllMessagesRead: vi.fn(async () => 0),
    advanceLastReadMessageIndex: vi.fn(async () => 0),
    getMessages: vi.fn(async (): Promise<{ items: object[]; hasPrevPage: boolean }> => ({
      items: [
        { sid: 'IM2', index: 2, author: 'bob', body: 'two', dateCreated: new Date('2026-11-25T06:00:00Z'), conversation: { sid } },
        { sid: 'IM3', index: 3, author: 'alice', body: 'three', dateCreated: null, conversation: { sid } },
      ],
      hasPrevPage: true,
    })),
    sendMessage: vi.fn(async () => 4),
  };
}

async function connected() {
  const client = new TwilioChatClient({ token: 'token-1' });
  const states: ConnectionState[] = [];
  client.onConnectionStateChanged((s) => states.push(s));
  const connecting = client.connect();
  const fake = sdk.instances.at(-1);
  if (!fake) throw new Error('No SDK client was made.');
  fake.emit('initialized');
  await connecting;
  return { client, fake, states };
}

/** Connected, with bob (offline) the one participant of general (CH1), and a listener of member updates. */
async function bobInGeneral() {
  const { client, fake } = await connected();
  const bob = new FakeUser('bob', false);
  const general = conversation('CH1', 'general', 'general');
  const inGeneral = participant('MB1', 'CH1', 'bob', bob);
  general.participants = [inGeneral];
  fake.conversations = [general];
  const updated = vi.fn();
  client.on('memberUpdated', updated);
  return { client, fake, bob, inGeneral, updated };
}

beforeEach(() => {
  sdk.instances.length = 0;
});

afterEach(() => {
  vi.clearAllMocks();
});

describe('TwilioChatClient', () => {
  it('makes an SDK client with the token and waits for initialized', async () => {
    const { fake, states, client } = await connected();
    expect(fake.token).toBe('token-1');
    expect(states).toEqual(['connecting', 'connected']);
    expect(client.connectionState).toBe('connected');
  });

  it('passes the options the host named to the SDK, the twilsock path made absolute', async () => {
    const client = new TwilioChatClient({ token: 'token-1', sdkOptions: { Twilsock: { uri: '/emulator/twilsock' } } });
    const connecting = client.connect();
    const fake = sdk.instances.at(-1);
    fake?.emit('initialized');
    await connecting;
    expect(fake?.options).toEqual({ Twilsock: { uri: `ws://${window.location.host}/emulator/twilsock` } });
  });

  it('fails to connect on initFailed', async () => {
    const client = new TwilioChatClient({ token: 'bad' });
    const connecting = client.connect();
    sdk.instances.at(-1)?.emit('initFailed', { error: { message: 'Access token invalid' } });
    await expect(connecting).rejects.toThrow('Access token invalid');
    expect(client.connectionState).toBe('disconnected');
  });

  it('maps the SDK connection states, a later connecting being a reconnect', async () => {
    const { fake, states } = await connected();
    fake.emit('connectionStateChanged', 'connecting');
    fake.emit('connectionStateChanged', 'connected');
    fake.emit('connectionStateChanged', 'denied');
    expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected', 'disconnected']);
  });

  it('lists every page of subscribed conversations as rooms', async () => {
    const { client, fake } = await connected();
    fake.conversations = [conversation('CH1', 'General', 'general'), conversation('CH2', null, 'random')];
    expect(await client.getRooms()).toEqual([
      { sid: 'CH1', name: 'General', kind: 'room', members: [] },
      { sid: 'CH2', name: 'random', kind: 'room', members: [] },
    ]);
  });

  it('reads messages backwards from an exclusive anchor, and sends', async () => {
    const { client, fake } = await connected();
    const general = conversation('CH1', 'General', 'general');
    fake.conversations = [general];

    const latest = await client.getMessages('CH1', 30);
    await client.getMessages('CH1', 30, 2);
    const index = await client.sendMessage('CH1', 'hello');

    expect(latest).toEqual({
      items: [
        { sid: 'IM2', index: 2, roomSid: 'CH1', author: 'bob', body: 'two', dateCreated: '2026-11-25T06:00:00.000Z', edited: false, reactions: {} },
        { sid: 'IM3', index: 3, roomSid: 'CH1', author: 'alice', body: 'three', dateCreated: null, edited: false, reactions: {} },
      ],
      hasPrevPage: true,
    });
    expect(general.getMessages).toHaveBeenNthCalledWith(1, 30, undefined, 'backwards');
    expect(general.getMessages).toHaveBeenNthCalledWith(2, 30, 1, 'backwards');
    expect(general.sendMessage).toHaveBeenCalledWith('hello');
    expect(index).toBe(4);
    expect(fake.getConversationBySid).toHaveBeenCalledOnce();
  });

  it('passes messageAdded on as a chat message', async () => {
    const { client, fake } = await connected();
    const received = vi.fn();
    client.onMessageAdded(received);
    fake.emit('messageAdded', { sid: 'IM9', index: 9, author: 'carol', body: 'yo', dateCreated: null, conversation: { sid: 'CH2' } });
    expect(received).toHaveBeenCalledWith({ sid: 'IM9', index: 9, roomSid: 'CH2', author: 'carol', body: 'yo', dateCreated: null, edited: false, reactions: {} });
  });

  it('reads a private conversation from its attributes', async () => {
    const { client, fake } = await connected();
    fake.conversations = [
      conversation('CH7', null, null, { chatrooms: { kind: 'private', members: ['alice', 'bob'] } }),
      conversation('CH1', 'general', 'general', { chatrooms: { kind: 'room' } }),
    ];
    expect(await client.getRooms()).toEqual([
      { sid: 'CH7', name: 'CH7', kind: 'private', members: ['alice', 'bob'] },
      { sid: 'CH1', name: 'general', kind: 'room', members: [] },
    ]);
  });

  it('lists participants with their online state and SMS numbers', async () => {
    const { client, fake } = await connected();
    const general = conversation('CH1', 'general', 'general');
    general.participants = [
      participant('MB1', 'CH1', 'bob', new FakeUser('bob', true)),
      participant('MB2', 'CH1', 'carol', new FakeUser('carol', false)),
      participant('MB3', 'CH1', 'dave', null),
      participant('MB4', 'CH1', null, null, { type: 'sms', bindings: { sms: { address: '+15550001111', proxy_address: '+15559990000' } } }),
    ];
    fake.conversations = [general];

    expect(await client.getMembers('CH1')).toEqual([
      { sid: 'MB1', roomSid: 'CH1', identity: 'bob', kind: 'chat', address: null, online: true, lastReadIndex: null },
      { sid: 'MB2', roomSid: 'CH1', identity: 'carol', kind: 'chat', address: null, online: false, lastReadIndex: null },
      { sid: 'MB3', roomSid: 'CH1', identity: 'dave', kind: 'chat', address: null, online: null, lastReadIndex: null },
      { sid: 'MB4', roomSid: 'CH1', identity: null, kind: 'sms', address: '+15550001111', online: null, lastReadIndex: null },
    ]);
  });

  it("passes a user's online change on as a member update, once per user", async () => {
    const { client, bob, inGeneral, updated } = await bobInGeneral();

    expect(await client.getMembers('CH1')).toEqual([expect.objectContaining({ identity: 'bob', online: false })]);
    await client.getMembers('CH1');
    updated.mockClear();
    bob.goes(true);

    expect(inGeneral.getUser).toHaveBeenCalledOnce();
    expect(updated).toHaveBeenCalledExactlyOnceWith({
      sid: 'MB1', roomSid: 'CH1', identity: 'bob', kind: 'chat', address: null, online: true, lastReadIndex: null,
    });
    bob.emit('updated', { user: bob, updateReasons: ['friendlyName'] });
    expect(updated).toHaveBeenCalledOnce();
  });

  it("passes a user's online change on only for the members still in their rooms, not for one that left", async () => {
    const { client, fake, bob, inGeneral, updated } = await bobInGeneral();
    await client.getMembers('CH1');
    fake.emit('participantJoined', participant('MB5', 'CH2', 'bob', bob));
    await Promise.resolve();

    fake.emit('participantLeft', inGeneral);
    updated.mockClear();
    bob.goes(true);

    expect(updated).toHaveBeenCalledExactlyOnceWith({
      sid: 'MB5', roomSid: 'CH2', identity: 'bob', kind: 'chat', address: null, online: true, lastReadIndex: null,
    });
  });

  it('answers without a user that is slow to come, and passes its online state on when it comes', async () => {
    const { client, fake } = await connected();
    vi.useFakeTimers();
    try {
      let arrive: (user: FakeUser) => void = () => undefined;
      const slow = participant('MB1', 'CH1', 'bob', null, {
        getUser: vi.fn(() => new Promise<FakeUser>((resolve) => (arrive = resolve))),
      });
      const general = conversation('CH1', 'general', 'general');
      general.participants = [slow];
      fake.conversations = [general];
      const updated = vi.fn();
      client.on('memberUpdated', updated);

      const members = client.getMembers('CH1');
      await vi.advanceTimersByTimeAsync(userWaitMs);
      expect(await members).toEqual([expect.objectContaining({ identity: 'bob', online: null })]);

      arrive(new FakeUser('bob', true));
      await vi.advanceTimersByTimeAsync(0);
      expect(updated).toHaveBeenCalledWith(expect.objectContaining({ sid: 'MB1', identity: 'bob', online: true }));
    } finally {
      vi.useRealTimers();
    }
  });

  it('passes the token warnings of the SDK on, so that the app renews its token', async () => {
    const { client, fake } = await connected();
    const seen: { expired: boolean }[] = [];
    client.on('tokenExpiring', (value) => seen.push(value));

    fake.emit('tokenAboutToExpire', 180);
    fake.emit('tokenExpired');

    expect(seen).toEqual([{ expired: false }, { expired: true }]);
  });

  it('maps the participant, typing and conversation events of the SDK', async () => {
    const { client, fake } = await connected();
    const seen: [string, unknown][] = [];
    const events = ['memberJoined', 'memberLeft', 'memberUpdated', 'typingStarted', 'typingEnded', 'roomAdded', 'roomUpdated', 'roomRemoved'] as const;
    for (const event of events) client.on(event, (value) => seen.push([event, value]));
    const carol = { ...participant('MB2', 'CH1', 'carol', new FakeUser('carol', true)), lastReadMessageIndex: null as number | null };

    fake.emit('participantJoined', carol);
    await Promise.resolve();
    // She read up to message 4: the SDK's participant holds her new horizon when it tells.
    carol.lastReadMessageIndex = 4;
    fake.emit('participantUpdated', { participant: carol, updateReasons: ['lastReadMessageIndex'] });
    fake.emit('participantLeft', carol);
    fake.emit('typingStarted', carol);
    fake.emit('typingEnded', carol);
    fake.emit('conversationAdded', conversation('CH7', null, null, { chatrooms: { kind: 'private', members: ['alice', 'carol'] } }));
    fake.emit('conversationUpdated', { conversation: conversation('CH1', 'General', 'general'), updateReasons: ['friendlyName'] });
    fake.emit('conversationRemoved', conversation('CH2', 'random', 'random'));

    const member = { sid: 'MB2', roomSid: 'CH1', identity: 'carol', kind: 'chat', address: null };
    expect(seen).toEqual([
      ['memberJoined', { ...member, online: null, lastReadIndex: null }],
      // Her user came: her online state follows as an update.
      ['memberUpdated', { ...member, online: true, lastReadIndex: null }],
      ['memberUpdated', { ...member, online: true, lastReadIndex: 4 }],
      ['memberLeft', { ...member, online: true, lastReadIndex: 4 }],
      ['typingStarted', { roomSid: 'CH1', identity: 'carol' }],
      ['typingEnded', { roomSid: 'CH1', identity: 'carol' }],
      ['roomAdded', { sid: 'CH7', name: 'CH7', kind: 'private', members: ['alice', 'carol'] }],
      ['roomUpdated', { sid: 'CH1', name: 'General', kind: 'room', members: [] }],
      ['roomRemoved', { sid: 'CH2', name: 'random', kind: 'room', members: [] }],
    ]);
  });

  it('reports the read horizon when the SDK updates it or the newest message, and not for other updates', async () => {
    const { client, fake } = await connected();
    const seen = vi.fn();
    client.on('readHorizonUpdated', seen);
    const general = conversation('CH1', 'general', 'general');

    fake.emit('conversationUpdated', { conversation: general, updateReasons: ['friendlyName'] });
    general.lastReadMessageIndex = 7;
    fake.emit('conversationUpdated', { conversation: general, updateReasons: ['lastReadMessageIndex'] });
    general.lastMessage = { index: 9 };
    fake.emit('conversationUpdated', { conversation: general, updateReasons: ['lastMessage'] });

    expect(seen.mock.calls).toEqual([
      [{ roomSid: 'CH1', lastReadIndex: 7, lastMessageIndex: 7 }],
      [{ roomSid: 'CH1', lastReadIndex: 7, lastMessageIndex: 9 }],
    ]);
  });

  it('treats conversationLeft as the room leaving the list, and forgets the conversation', async () => {
    const { client, fake } = await connected();
    const random = conversation('CH2', 'random', 'random');
    fake.conversations = [random];
    await client.getRooms();
    const removed = vi.fn();
    client.on('roomRemoved', removed);
    fake.emit('conversationLeft', random);
    expect(removed).toHaveBeenCalledWith({ sid: 'CH2', name: 'random', kind: 'room', members: [] });
    fake.conversations = [];
    await expect(client.sendMessage('CH2', 'hi')).rejects.toThrow('Not found');
  });

  it('passes messageUpdated and messageRemoved on, an updated body being an edit', async () => {
    const { client, fake } = await connected();
    const updated = vi.fn();
    const removed = vi.fn();
    client.on('messageUpdated', updated);
    client.on('messageRemoved', removed);
    fake.emit('messageUpdated', { message: sdkMessage('CH1', 4, 'better'), updateReasons: ['body'] });
    fake.emit('messageRemoved', sdkMessage('CH1', 5, 'gone'));
    expect(updated).toHaveBeenCalledWith(expect.objectContaining({ index: 4, body: 'better', roomSid: 'CH1', edited: true }));
    expect(removed).toHaveBeenCalledWith(expect.objectContaining({ index: 5, roomSid: 'CH1', edited: false }));
  });

  it('marks a history message edited when it was updated after it was created', async () => {
    const { client, fake } = await connected();
    const general = conversation('CH1', 'general', 'general');
    general.getMessages.mockResolvedValueOnce({
      items: [sdkMessage('CH1', 8, 'changed', { dateUpdated: new Date('2026-11-25T06:10:00Z') })],
      hasPrevPage: false,
    });
    fake.conversations = [general];
    const page = await client.getMessages('CH1', 30);
    expect(page.items[0]).toMatchObject({ index: 8, edited: true });
  });

  it('edits and deletes through the Message object, fetching it when not seen yet', async () => {
    const { client, fake } = await connected();
    const general = conversation('CH1', 'general', 'general');
    const seen = sdkMessage('CH1', 2, 'mine');
    const older = sdkMessage('CH1', 1, 'older');
    fake.conversations = [general];
    fake.emit('messageAdded', seen);

    await client.updateMessage('CH1', 2, 'mine, better');
    await client.removeMessage('CH1', 2);
    general.getMessages.mockResolvedValueOnce({ items: [older], hasPrevPage: false });
    await client.updateMessage('CH1', 1, 'older, better');

    expect(seen.updateBody).toHaveBeenCalledWith('mine, better');
    expect(seen.remove).toHaveBeenCalledOnce();
    expect(general.getMessages).toHaveBeenCalledExactlyOnceWith(1, 1, 'backwards');
    expect(older.updateBody).toHaveBeenCalledWith('older, better');
  });

  it('passes a refused edit on as an error', async () => {
    const { client, fake } = await connected();
    const seen = sdkMessage('CH1', 2, 'mine');
    seen.remove.mockRejectedValue(new Error('Forbidden'));
    fake.conversations = [conversation('CH1', 'general', 'general')];
    fake.emit('messageAdded', seen);
    await expect(client.removeMessage('CH1', 2)).rejects.toThrow('Forbidden');
  });

  it('types, reads the read horizon and sets it on the conversation', async () => {
    const { client, fake } = await connected();
    const general = conversation('CH1', 'general', 'general');
    const fresh = conversation('CH2', 'random', 'random');
    fresh.lastReadMessageIndex = null;
    fresh.lastMessage = undefined;
    fake.conversations = [general, fresh];

    await client.typing('CH1');
    expect(await client.getReadHorizon('CH1')).toEqual({ lastReadIndex: 2, lastMessageIndex: 7 });
    expect(await client.getReadHorizon('CH2')).toEqual({ lastReadIndex: null, lastMessageIndex: null });
    await client.markReadUpTo('CH1', 5);

    expect(general.typing).toHaveBeenCalledOnce();
    expect(general.advanceLastReadMessageIndex).toHaveBeenCalledExactlyOnceWith(5);
    expect(general.setAllMessagesRead).not.toHaveBeenCalled();   // it would read up to whatever is newest by then
    expect(fresh.advanceLastReadMessageIndex).not.toHaveBeenCalled();
  });

  it('updates the token and shuts the SDK client down', async () => {
    const { client, fake } = await connected();
    await client.updateToken('token-2');
    await client.shutdown();
    expect(fake.updateToken).toHaveBeenCalledWith('token-2');
    expect(fake.shutdown).toHaveBeenCalledOnce();
    expect(client.connectionState).toBe('disconnected');
  });
});

describe('createChatClient', () => {
  // Whether the SDK's chunk is loaded lazily is a property of the build, not checked here.
  it('makes the one adapter, over the SDK, without connecting it', async () => {
    const { createChatClient } = await import('./create-chat-client');
    const client = await createChatClient({ token: 't', sdkOptions: {} });
    expect(client).toBeInstanceOf(TwilioChatClient);
    expect(sdk.instances).toHaveLength(0);
  });
});

describe('resolveSdkOptions', () => {
  it('turns the twilsock path the host names into a websocket address on the page origin', () => {
    expect(resolveSdkOptions({ Twilsock: { uri: '/emulator/twilsock' } })).toEqual({
      Twilsock: { uri: `ws://${window.location.host}/emulator/twilsock` },
    });
  });

  it('keeps an absolute websocket address and no options as they are', () => {
    expect(resolveSdkOptions({ Twilsock: { uri: 'wss://tsock.example/v3/wsconnect' } })).toEqual({
      Twilsock: { uri: 'wss://tsock.example/v3/wsconnect' },
    });
    expect(resolveSdkOptions({})).toEqual({});
  });
});

describe('reactions', () => {
  /** Bob's message 3 in general, seen live; its attributes change only as the test (the server) says. */
  async function bobsMessage() {
    const { client, fake } = await connected();
    fake.conversations = [conversation('CH1', 'general', 'general')];
    const written: unknown[] = [];
    const message = {
      ...sdkMessage('CH1', 3, 'from bob'),
      author: 'bob',
      lastUpdatedBy: null as string | null,
      attributes: { pinned: true } as unknown,
      updateAttributes: vi.fn(async (attributes: unknown) => {
        written.push(attributes);
      }),
    };
    fake.emit('messageAdded', message);
    /** A write by `by` lands: the message comes back with `attributes`. */
    const lands = (attributes: unknown, by = 'carol') => {
      message.attributes = attributes;
      message.lastUpdatedBy = by;
      fake.emit('messageUpdated', { message, updateReasons: ['attributes'] });
    };
    return { client, message, written, lands };
  }

  it('reads who chose each reaction from the attributes, as Twilio\'s demo stores them', async () => {
    const { client, lands } = await bobsMessage();
    const updated = vi.fn();
    client.on('messageUpdated', updated);
    lands({ reactions: { thumbs_up: ['bob', 'carol'], heart: [], nonsense: ['x'] } });
    expect(updated).toHaveBeenCalledWith(expect.objectContaining({ index: 3, reactions: { thumbs_up: ['bob', 'carol'] } }));
  });

  it('adds and takes back the user\'s reaction, keeping the other attributes and reactions', async () => {
    const { client, message, written, lands } = await bobsMessage();
    await client.setReaction('CH1', 3, 'thumbs_up', true);
    expect(written.at(-1)).toEqual({ pinned: true, reactions: { thumbs_up: ['alice'] } });
    lands({ pinned: true, reactions: { thumbs_up: ['carol', 'alice'] } }, 'alice');
    await client.setReaction('CH1', 3, 'thumbs_up', false);
    expect(written.at(-1)).toEqual({ pinned: true, reactions: { thumbs_up: ['carol'] } });
    expect(message.updateAttributes).toHaveBeenCalledTimes(2);
  });

  it('puts the user\'s reaction back when a write made at the same moment dropped it, at most three times', async () => {
    const { client, written, lands } = await bobsMessage();
    await client.setReaction('CH1', 3, 'thumbs_up', true);
    // Carol reacted at the same moment from the same old attributes: her write came second and has no alice.
    lands({ pinned: true, reactions: { heart: ['carol'] } });
    expect(written).toEqual([
      { pinned: true, reactions: { thumbs_up: ['alice'] } },
      { pinned: true, reactions: { heart: ['carol'], thumbs_up: ['alice'] } },
    ]);
    // Both now there: nothing more to write.
    lands({ pinned: true, reactions: { heart: ['carol'], thumbs_up: ['alice'] } });
    expect(written).toHaveLength(2);
    // Dropped again and again (a client that keeps overwriting): put back three times in all, then left alone.
    for (let i = 0; i < 4; i++) lands({ pinned: true, reactions: { heart: ['carol'] } });
    expect(written).toHaveLength(4);
  });

  it('keeps what the user chose on another device, and puts nothing back over it', async () => {
    const { client, written, lands } = await bobsMessage();
    await client.setReaction('CH1', 3, 'thumbs_up', true);
    lands({ pinned: true, reactions: { thumbs_up: [] } }, 'alice'); // taken back in her other tab
    lands({ pinned: true, reactions: { heart: ['carol'], thumbs_up: [] } }); // and carol reacts after
    expect(written).toEqual([{ pinned: true, reactions: { thumbs_up: ['alice'] } }]);
  });
});

/** What twilsock rejects with when Twilio answers an error: its status, and Twilio's error as the body. */
function upstreamError(status: number, message: string, code: number) {
  return Object.assign(new Error(status === 404 ? 'Not Found' : 'Forbidden'), { status, description: 'x', body: { status, message, code } });
}

describe('groups', () => {
  function groupConversation() {
    return {
      ...conversation('CHG1', 'book club', null, { chatrooms: { kind: 'group' } }),
      join: vi.fn(async () => undefined),
      add: vi.fn(async (_identity: string) => undefined),
      leave: vi.fn(async () => undefined),
    };
  }

  it('makes a group as Twilio\'s demo does: createConversation with its name and the group marker, then join', async () => {
    const { client, fake } = await connected();
    const made = groupConversation();
    fake.createConversation.mockResolvedValue(made);

    expect(await client.createGroup('book club')).toEqual({ sid: 'CHG1', name: 'book club', kind: 'group', members: [] });
    expect(fake.createConversation).toHaveBeenCalledExactlyOnceWith({ friendlyName: 'book club', attributes: { chatrooms: { kind: 'group' } } });
    expect(made.join).toHaveBeenCalledOnce();
  });

  it('reads a group from its attributes, whether the SDK gives them parsed or as text', async () => {
    const { client, fake } = await connected();
    fake.conversations = [groupConversation(), conversation('CHG2', 'walkers', null, '{"chatrooms":{"kind":"group"}}')];
    expect((await client.getRooms()).map((r) => [r.name, r.kind])).toEqual([
      ['book club', 'group'],
      ['walkers', 'group'],
    ]);
  });

  it('adds a user who exists', async () => {
    const { client, fake } = await connected();
    const group = groupConversation();
    fake.conversations = [group];
    await client.addMember('CHG1', 'bob');
    expect(fake.getUser).toHaveBeenCalledWith('bob');
    expect(group.add).toHaveBeenCalledExactlyOnceWith('bob');
  });

  it('refuses, without adding, a username that has no user (nobody who ever signed in)', async () => {
    const { client, fake } = await connected();
    const group = groupConversation();
    fake.conversations = [group];
    fake.getUser.mockRejectedValue(upstreamError(404, 'User not found', 20404));
    const refused = client.addMember('CHG1', 'nobody');
    await expect(refused).rejects.toMatchObject({ reason: 'unknown-user', message: 'nobody has never signed in to this chat.' });
    expect(group.add).not.toHaveBeenCalled();
  });

  it("passes on the back end's 403 as not allowed, with Twilio's reason", async () => {
    const { client, fake } = await connected();
    const group = groupConversation();
    group.add.mockRejectedValue(upstreamError(403, 'User not authorized to perform action', 50107));
    fake.conversations = [group];
    await expect(client.addMember('CHG1', 'carol')).rejects.toMatchObject({
      reason: 'not-allowed',
      message: 'User not authorized to perform action',
    });
  });

  it('leaves a group', async () => {
    const { client, fake } = await connected();
    const group = groupConversation();
    fake.conversations = [group];
    await client.leaveGroup('CHG1');
    expect(group.leave).toHaveBeenCalledOnce();
  });
});

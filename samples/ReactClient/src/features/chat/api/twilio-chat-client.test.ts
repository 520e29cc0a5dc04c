import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { ConnectionState } from '@/lib/chat-client';

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
    conversations: unknown[] = [];
    readonly updateToken = vi.fn(async () => this);
    readonly shutdown = vi.fn(async () => undefined);
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

    constructor(token: string) {
      super();
      this.token = token;
      instances.push(this);
    }
  }

  return { FakeClient, instances };
});

vi.mock('@twilio/conversations', () => ({ Client: sdk.FakeClient }));

const { TwilioChatClient } = await import('./twilio-chat-client');

function conversation(sid: string, friendlyName: string | null, uniqueName: string | null) {
  return {
    sid,
    friendlyName,
    uniqueName,
    getMessages: vi.fn(async () => ({
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
      { sid: 'CH1', name: 'General' },
      { sid: 'CH2', name: 'random' },
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
        { sid: 'IM2', index: 2, roomSid: 'CH1', author: 'bob', body: 'two', dateCreated: '2026-11-25T06:00:00.000Z' },
        { sid: 'IM3', index: 3, roomSid: 'CH1', author: 'alice', body: 'three', dateCreated: null },
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
    expect(received).toHaveBeenCalledWith({ sid: 'IM9', index: 9, roomSid: 'CH2', author: 'carol', body: 'yo', dateCreated: null });
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
  it('loads the Twilio adapter only in Twilio mode', async () => {
    const { createChatClient } = await import('./create-chat-client');
    const twilio = await createChatClient({ backend: 'twilio', token: 't' });
    const emulator = await createChatClient({ backend: 'emulator', token: 't', emulatorHubUrl: null });
    expect(twilio).toBeInstanceOf(TwilioChatClient);
    expect(emulator).not.toBeInstanceOf(TwilioChatClient);
    expect(sdk.instances).toHaveLength(0);
  });
});

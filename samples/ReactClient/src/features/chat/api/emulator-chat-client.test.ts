import { describe, expect, it, vi } from 'vitest';

import type { ConnectionState } from '@/lib/chat-client';

import { EmulatorChatClient, type HubConnectionLike } from './emulator-chat-client';

/** A HubConnection that records what the adapter asks of it and lets the test play the server. */
class FakeHubConnection implements HubConnectionLike {
  readonly handlers = new Map<string, (...args: never[]) => void>();
  readonly invocations: { method: string; args: unknown[] }[] = [];
  answers = new Map<string, unknown>();
  failWith: Error | null = null;
  close: ((error?: Error) => void) | null = null;
  reconnecting: ((error?: Error) => void) | null = null;
  reconnected: ((id?: string) => void) | null = null;

  start = vi.fn(async () => undefined);
  stop = vi.fn(async () => undefined);

  async invoke<T>(method: string, ...args: unknown[]): Promise<T> {
    this.invocations.push({ method, args });
    if (this.failWith) throw this.failWith;
    return this.answers.get(method) as T;
  }

  on(method: string, handler: (...args: never[]) => void) {
    this.handlers.set(method, handler);
  }

  off(method: string) {
    this.handlers.delete(method);
  }

  onclose(callback: (error?: Error) => void) {
    this.close = callback;
  }

  onreconnecting(callback: (error?: Error) => void) {
    this.reconnecting = callback;
  }

  onreconnected(callback: (id?: string) => void) {
    this.reconnected = callback;
  }

  serverSends(event: string, argument: unknown) {
    const handler = this.handlers.get(event) as ((arg: unknown) => void) | undefined;
    handler?.(argument);
  }
}

function hubMessage(index: number, body: string) {
  return {
    sid: `IM${index}`,
    index,
    conversationSid: 'CH1',
    author: 'alice',
    body,
    attributes: {},
    participantSid: 'MB1',
    dateCreated: '2026-11-25T06:00:00Z',
    dateUpdated: '2026-11-25T06:00:00Z',
  };
}

function hubParticipant(overrides: Record<string, unknown> = {}) {
  return {
    sid: 'MB1',
    conversationSid: 'CH1',
    identity: 'bob',
    type: 'chat',
    address: null,
    attributes: {},
    lastReadMessageIndex: null,
    isOnline: true,
    dateCreated: '2026-11-25T06:00:00Z',
    ...overrides,
  };
}

const privateAttributes = { chatrooms: { kind: 'private', members: ['alice', 'bob'] } };

function setup() {
  const connection = new FakeHubConnection();
  let tokenFactory: () => string = () => '';
  const factory = vi.fn((url: string, accessTokenFactory: () => string) => {
    tokenFactory = accessTokenFactory;
    void url;
    return connection;
  });
  const client = new EmulatorChatClient({ hubUrl: '/emulator/hub', token: 'token-1', connectionFactory: factory });
  return { client, connection, factory, token: () => tokenFactory() };
}

describe('EmulatorChatClient', () => {
  it('connects to the hub url with the token and reports the states', async () => {
    const { client, connection, factory, token } = setup();
    const states: ConnectionState[] = [];
    client.onConnectionStateChanged((state) => states.push(state));

    await client.connect();
    connection.reconnecting?.();
    connection.reconnected?.();
    connection.close?.();

    expect(factory).toHaveBeenCalledWith('/emulator/hub', expect.any(Function));
    expect(token()).toBe('token-1');
    expect(connection.start).toHaveBeenCalledOnce();
    expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected', 'disconnected']);
  });

  it('subscribes to messageAdded before the connection starts', async () => {
    const { client, connection } = setup();
    expect(connection.handlers.has('messageAdded')).toBe(true);
    const received: string[] = [];
    client.onMessageAdded((m) => received.push(`${m.roomSid}#${m.index}:${m.body}`));
    connection.serverSends('messageAdded', hubMessage(7, 'hi'));
    expect(received).toEqual(['CH1#7:hi']);
  });

  it('speaks the hub protocol for rooms, history and sending', async () => {
    const { client, connection } = setup();
    connection.answers.set('GetSubscribedConversations', [
      { sid: 'CH1', uniqueName: 'general', friendlyName: 'General', attributes: {} },
      { sid: 'CH2', uniqueName: 'random', friendlyName: null, attributes: {} },
    ]);
    connection.answers.set('GetMessages', { items: [hubMessage(3, 'a'), hubMessage(4, 'b')], hasPrevPage: true });
    connection.answers.set('SendMessage', 5);
    await client.connect();

    expect(await client.getRooms()).toEqual([
      { sid: 'CH1', name: 'General', kind: 'room', members: [] },
      { sid: 'CH2', name: 'random', kind: 'room', members: [] },
    ]);
    const page = await client.getMessages('CH1', 30);
    await client.getMessages('CH1', 30, 3);
    expect(await client.sendMessage('CH1', 'hello')).toBe(5);

    expect(page).toEqual({
      items: [
        { sid: 'IM3', index: 3, roomSid: 'CH1', author: 'alice', body: 'a', dateCreated: '2026-11-25T06:00:00Z', edited: false },
        { sid: 'IM4', index: 4, roomSid: 'CH1', author: 'alice', body: 'b', dateCreated: '2026-11-25T06:00:00Z', edited: false },
      ],
      hasPrevPage: true,
    });
    expect(connection.invocations).toEqual([
      { method: 'GetSubscribedConversations', args: [] },
      { method: 'GetMessages', args: ['CH1', 30, null] },
      { method: 'GetMessages', args: ['CH1', 30, 3] },
      { method: 'SendMessage', args: ['CH1', 'hello'] },
    ]);
  });

  it('marks a message edited when it was updated after it was created', async () => {
    const { client, connection } = setup();
    connection.answers.set('GetMessages', {
      items: [{ ...hubMessage(1, 'changed'), dateUpdated: '2026-11-25T06:05:00Z' }, hubMessage(2, 'as sent')],
      hasPrevPage: false,
    });
    await client.connect();
    const page = await client.getMessages('CH1', 30);
    expect(page.items.map((m) => [m.index, m.edited])).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it('reads a private conversation from its attributes', async () => {
    const { client, connection } = setup();
    connection.answers.set('GetSubscribedConversations', [
      { sid: 'CH7', uniqueName: null, friendlyName: 'alice-bob', attributes: privateAttributes },
      { sid: 'CH8', uniqueName: 'odd', friendlyName: null, attributes: { chatrooms: { kind: 'something' } } },
    ]);
    await client.connect();
    expect(await client.getRooms()).toEqual([
      { sid: 'CH7', name: 'alice-bob', kind: 'private', members: ['alice', 'bob'] },
      { sid: 'CH8', name: 'odd', kind: 'room', members: [] },
    ]);
  });

  it('invokes the hub for members, typing, unread counts, edits and deletes', async () => {
    const { client, connection } = setup();
    connection.answers.set('GetParticipants', [
      hubParticipant(),
      hubParticipant({ sid: 'MB2', identity: 'carol', isOnline: false }),
      // An SMS participant has no online state, whatever the hub says.
      hubParticipant({ sid: 'MB3', identity: null, type: 'sms', address: '+15550001111', isOnline: false }),
    ]);
    connection.answers.set('GetUnreadMessagesCount', 4);
    connection.answers.set('SetAllMessagesRead', 9);
    connection.answers.set('UpdateMessage', hubMessage(3, 'new'));
    await client.connect();

    expect(await client.getMembers('CH1')).toEqual([
      { sid: 'MB1', roomSid: 'CH1', identity: 'bob', kind: 'chat', address: null, online: true },
      { sid: 'MB2', roomSid: 'CH1', identity: 'carol', kind: 'chat', address: null, online: false },
      { sid: 'MB3', roomSid: 'CH1', identity: null, kind: 'sms', address: '+15550001111', online: null },
    ]);
    await client.typing('CH1');
    expect(await client.getUnreadCount('CH1')).toBe(4);
    await client.setAllMessagesRead('CH1');
    await client.updateMessage('CH1', 3, 'new');
    await client.removeMessage('CH1', 3);

    expect(connection.invocations).toEqual([
      { method: 'GetParticipants', args: ['CH1'] },
      { method: 'Typing', args: ['CH1'] },
      { method: 'GetUnreadMessagesCount', args: ['CH1'] },
      { method: 'SetAllMessagesRead', args: ['CH1'] },
      { method: 'UpdateMessage', args: ['CH1', 3, 'new'] },
      { method: 'RemoveMessage', args: ['CH1', 3] },
    ]);
  });

  it('passes a null unread count on as null', async () => {
    const { client, connection } = setup();
    connection.answers.set('GetUnreadMessagesCount', null);
    await client.connect();
    expect(await client.getUnreadCount('CH1')).toBeNull();
  });

  it('shows a refused edit as its Twilio error', async () => {
    const { client, connection } = setup();
    await client.connect();
    connection.failWith = new Error(
      "An unexpected error occurred invoking 'UpdateMessage' on the server. HubException: Twilio error 50107: User not authorized to edit this message",
    );
    await expect(client.updateMessage('CH1', 1, 'x')).rejects.toThrow(/^Twilio error 50107: User not authorized/);
    await expect(client.removeMessage('CH1', 1)).rejects.toThrow(/^Twilio error 50107/);
  });

  it('maps every hub event onto the seam', async () => {
    const { client, connection } = setup();
    const seen: [string, unknown][] = [];
    const events = [
      'messageUpdated',
      'messageRemoved',
      'memberJoined',
      'memberLeft',
      'memberUpdated',
      'roomAdded',
      'roomUpdated',
      'roomRemoved',
      'typingStarted',
      'typingEnded',
    ] as const;
    for (const event of events) client.on(event, (value) => seen.push([event, value]));

    connection.serverSends('messageUpdated', { ...hubMessage(2, 'edited'), dateUpdated: '2026-11-25T06:00:00Z' });
    connection.serverSends('messageRemoved', hubMessage(3, 'gone'));
    connection.serverSends('participantJoined', hubParticipant());
    connection.serverSends('participantLeft', hubParticipant({ isOnline: false }));
    connection.serverSends('participantUpdated', hubParticipant({ sid: 'MB9', type: 'sms', identity: null, address: '+1555', isOnline: null }));
    connection.serverSends('conversationAdded', { sid: 'CH7', uniqueName: null, friendlyName: 'dm', attributes: privateAttributes });
    connection.serverSends('conversationUpdated', { sid: 'CH1', uniqueName: 'general', friendlyName: 'General!', attributes: {} });
    connection.serverSends('conversationRemoved', { sid: 'CH2', uniqueName: 'random', friendlyName: null, attributes: {} });
    connection.serverSends('typingStarted', { conversationSid: 'CH1', identity: 'bob', participantSid: 'MB1' });
    connection.serverSends('typingEnded', { conversationSid: 'CH1', identity: 'bob', participantSid: 'MB1' });

    const bob = { sid: 'MB1', roomSid: 'CH1', identity: 'bob', kind: 'chat', address: null };
    expect(seen).toEqual([
      ['messageUpdated', { sid: 'IM2', index: 2, roomSid: 'CH1', author: 'alice', body: 'edited', dateCreated: '2026-11-25T06:00:00Z', edited: true }],
      ['messageRemoved', { sid: 'IM3', index: 3, roomSid: 'CH1', author: 'alice', body: 'gone', dateCreated: '2026-11-25T06:00:00Z', edited: false }],
      ['memberJoined', { ...bob, online: true }],
      ['memberLeft', { ...bob, online: false }],
      ['memberUpdated', { sid: 'MB9', roomSid: 'CH1', identity: null, kind: 'sms', address: '+1555', online: null }],
      ['roomAdded', { sid: 'CH7', name: 'dm', kind: 'private', members: ['alice', 'bob'] }],
      ['roomUpdated', { sid: 'CH1', name: 'General!', kind: 'room', members: [] }],
      ['roomRemoved', { sid: 'CH2', name: 'random', kind: 'room', members: [] }],
      ['typingStarted', { roomSid: 'CH1', identity: 'bob' }],
      ['typingEnded', { roomSid: 'CH1', identity: 'bob' }],
    ]);
  });

  it('turns a HubException into the Twilio error text', async () => {
    const { client, connection } = setup();
    await client.connect();
    connection.failWith = new Error(
      "An unexpected error occurred invoking 'SendMessage' on the server. HubException: Twilio error 50430: Participant is not a member of the conversation",
    );
    await expect(client.sendMessage('CH9', 'x')).rejects.toThrow(
      /^Twilio error 50430: Participant is not a member of the conversation$/,
    );
  });

  it('updates the token on the hub and for later reconnects', async () => {
    const { client, connection, token } = setup();
    await client.connect();
    await client.updateToken('token-2');
    expect(connection.invocations).toContainEqual({ method: 'UpdateToken', args: ['token-2'] });
    expect(token()).toBe('token-2');
  });

  it('stops the connection and drops listeners on shutdown', async () => {
    const { client, connection } = setup();
    const received = vi.fn();
    client.onMessageAdded(received);
    await client.connect();
    await client.shutdown();
    connection.serverSends('messageAdded', hubMessage(1, 'late'));
    expect(connection.stop).toHaveBeenCalledOnce();
    expect(client.connectionState).toBe('disconnected');
    expect(received).not.toHaveBeenCalled();
    expect([...connection.handlers.keys()]).toEqual([]);
    await expect(client.connect()).rejects.toThrow();
  });

  it('reports disconnected when the connection cannot start', async () => {
    const { client, connection } = setup();
    connection.start.mockRejectedValue(new Error('Failed to complete negotiation with the server: Unauthorized'));
    await expect(client.connect()).rejects.toThrow(/Unauthorized/);
    expect(client.connectionState).toBe('disconnected');
  });
});

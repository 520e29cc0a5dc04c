import { act, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { deferred, FakeChatClient, message, privateRoom, room } from '@/testing/fake-chat-client';
import { openRoom, renderChatView, roomsNav, typingStatus } from '@/testing/render-chat-view';

import type { ReadHorizon } from '../types';
import { typingStaleMs, typingText } from '../hooks/use-typing';

const typing = (identity: string, roomSid = 'CH1') => ({ roomSid, identity });

describe('typingText', () => {
  it('names one or two typers and counts more', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['alice'])).toBe('alice is typing…');
    expect(typingText(['alice', 'bob'])).toBe('alice and bob are typing…');
    expect(typingText(['alice', 'bob', 'carol'])).toBe('3 people are typing…');
  });
});

describe('Typing indicator', () => {
  it('shows who types in the selected room, from typingStarted to typingEnded', async () => {
    const { user, client } = renderChatView();
    await openRoom(user, 'general');
    const status = typingStatus();
    expect(status).toHaveAttribute('role', 'status');
    expect(status).toHaveAttribute('aria-live', 'polite');
    expect(status).toHaveTextContent(/^$/);

    act(() => client.emit('typingStarted', typing('bob')));
    expect(status).toHaveTextContent('bob is typing…');
    act(() => client.emit('typingStarted', typing('carol')));
    expect(status).toHaveTextContent('bob and carol are typing…');
    act(() => client.emit('typingStarted', typing('dave')));
    expect(status).toHaveTextContent('3 people are typing…');
    act(() => client.emit('typingEnded', typing('carol')));
    expect(status).toHaveTextContent('bob and dave are typing…');
    act(() => {
      client.emit('typingEnded', typing('bob'));
      client.emit('typingEnded', typing('dave'));
    });
    expect(status).toHaveTextContent(/^$/);
  });

  it('drops a typer whose message arrives, and ignores the user and other rooms', async () => {
    const { user, client } = renderChatView();
    await openRoom(user, 'general');
    act(() => {
      client.emit('typingStarted', typing('bob'));
      client.emit('typingStarted', typing('alice'));
      client.emit('typingStarted', typing('erin', 'CH2'));
    });
    expect(typingStatus()).toHaveTextContent(/^bob is typing…$/);
    act(() => client.emitMessage(message('CH1', 0, 'done', 'bob')));
    expect(typingStatus()).toHaveTextContent(/^$/);
  });

  it('drops a typer whose typingEnded never comes after a while', async () => {
    const { user, client } = renderChatView();
    await openRoom(user, 'general');
    vi.useFakeTimers();
    try {
      act(() => client.emit('typingStarted', typing('bob')));
      act(() => vi.advanceTimersByTime(typingStaleMs - 1_000));
      // Another typingStarted keeps bob for longer.
      act(() => client.emit('typingStarted', typing('bob')));
      act(() => vi.advanceTimersByTime(typingStaleMs - 1_000));
      expect(typingStatus()).toHaveTextContent('bob is typing…');
      act(() => vi.advanceTimersByTime(1_000));
      expect(typingStatus()).toHaveTextContent(/^$/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('starts empty in a newly selected room', async () => {
    const { user, client } = renderChatView();
    await openRoom(user, 'general');
    act(() => client.emit('typingStarted', typing('bob')));
    await openRoom(user, 'random');
    expect(typingStatus()).toHaveTextContent(/^$/);
  });

  it('tells the back end the user types, at most every two seconds', async () => {
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const { user, client } = renderChatView();
    await openRoom(user, 'general');
    const input = screen.getByLabelText('Message');

    await user.type(input, 'hello');
    expect(client.typing).toHaveBeenCalledExactlyOnceWith('CH1');
    now += 2_500;
    await user.type(input, ' there');
    expect(client.typing).toHaveBeenCalledTimes(2);
    await user.clear(input);
    expect(client.typing).toHaveBeenCalledTimes(2);

    // Sending ends the typing on the server: the next message's first keystroke tells it again at once.
    await user.type(input, 'x{Enter}');
    expect(client.sendMessage).toHaveBeenCalledWith('CH1', 'x');
    await user.type(input, 'y');
    expect(client.typing).toHaveBeenCalledTimes(3);
  });
});

describe('Unread counts', () => {
  const button = (name: string | RegExp) => within(roomsNav()).getByRole('button', { name });

  it('shows the unread count from the read horizon, and no badge when nothing was read yet', async () => {
    const client = new FakeChatClient();
    client.horizons.set('CH1', { lastReadIndex: 4, lastMessageIndex: 7 });
    client.horizons.set('CH2', { lastReadIndex: null, lastMessageIndex: 2 });
    renderChatView({ client });

    expect(await within(roomsNav()).findByRole('button', { name: 'general 3 unread' })).toBeInTheDocument();
    expect(button('random')).toBeInTheDocument();
    expect(client.getReadHorizon).toHaveBeenCalledWith('CH1');
    expect(client.getReadHorizon).toHaveBeenCalledWith('CH2');
  });

  it('counts new messages in rooms not being read, from the first one in a room never read', async () => {
    const client = new FakeChatClient({ rooms: [room('CH1', 'general'), room('CH2', 'random'), privateRoom('CH7', ['alice', 'bob'])] });
    client.horizons.set('CH2', { lastReadIndex: 3, lastMessageIndex: 4 });
    const { user } = renderChatView({ client });
    await openRoom(user, 'general');
    await within(roomsNav()).findByRole('button', { name: 'random 1 unread' });

    act(() => {
      client.emitMessage(message('CH2', 5, 'one', 'bob'));
      client.emitMessage(message('CH2', 6, 'mine, from another device', 'alice'));
      client.emitMessage(message('CH7', 3, 'psst', 'bob'));
      client.emitMessage(message('CH7', 4, 'psst again', 'bob'));
    });
    // As Twilio counts them: everything after the horizon, one's own messages from elsewhere included.
    expect(button('random 3 unread')).toBeInTheDocument();
    expect(button('bob 2 unread')).toBeInTheDocument();
    expect(button('general')).toBeInTheDocument();
  });

  it('gives the same count whether the horizon loads before or after live messages', async () => {
    const client = new FakeChatClient({ rooms: [room('CH1', 'general'), room('CH2', 'random')] });
    const late = deferred<ReadHorizon>();
    client.getReadHorizon.mockImplementation(async (sid: string) =>
      sid === 'CH2' ? late.promise : { lastReadIndex: null, lastMessageIndex: null },
    );
    const { user } = renderChatView({ client });
    await openRoom(user, 'general');

    // Two messages arrive before the load answers; the load then reports the horizon as it was before the second.
    act(() => {
      client.emitMessage(message('CH2', 5, 'one', 'bob'));
      client.emitMessage(message('CH2', 6, 'two', 'bob'));
    });
    await act(async () => late.resolve({ lastReadIndex: 4, lastMessageIndex: 5 }));
    expect(button('random 2 unread')).toBeInTheDocument();
  });

  it('marks what the log shows read even when the room is left before its horizon loads', async () => {
    const client = new FakeChatClient();
    const never = deferred<ReadHorizon>();
    client.getReadHorizon.mockImplementation(async (sid: string) => (sid === 'CH1' ? never.promise : { lastReadIndex: null, lastMessageIndex: null }));
    client.history.set('CH1', { items: [message('CH1', 0, 'zero', 'alice')], hasPrevPage: false });
    const { user } = renderChatView({ client });
    await user.click(await within(roomsNav()).findByRole('button', { name: 'general' }));
    await screen.findByText('zero');

    expect(client.markReadUpTo).toHaveBeenCalledWith('CH1', 0);
  });

  it('marks a room read when it is selected and when messages arrive in it', async () => {
    const client = new FakeChatClient();
    client.horizons.set('CH1', { lastReadIndex: 4, lastMessageIndex: 8 });
    const { user } = renderChatView({ client });
    await user.click(await within(roomsNav()).findByRole('button', { name: 'general 4 unread' }));

    expect(client.markReadUpTo).toHaveBeenCalledExactlyOnceWith('CH1', 8);
    expect(button('general')).toHaveAttribute('aria-current', 'true');

    act(() => client.emitMessage(message('CH1', 9, 'live', 'bob')));
    expect(client.markReadUpTo).toHaveBeenLastCalledWith('CH1', 9);
    expect(client.markReadUpTo.mock.calls.every(([sid, index]) => sid === 'CH1' && index <= 9)).toBe(true);
    expect(button('general')).toBeInTheDocument();

    // Once another room is selected, the first one counts again, and is read on the server no further than 9.
    await openRoom(user, 'random');
    act(() => client.emitMessage(message('CH1', 10, 'later', 'bob')));
    expect(button('general 1 unread')).toBeInTheDocument();
    expect(client.markReadUpTo).not.toHaveBeenCalledWith('CH1', 10);
  });

  it('reads a room on the server only up to the last message shown, so what arrives after leaving stays unread there too', async () => {
    // The flaky end-to-end run: the read request of a room left at once ran after two more messages had arrived and
    // marked them read on the server (the SDK's setAllMessagesRead reads the newest message when it runs).
    const client = new FakeChatClient();
    client.horizons.set('CH1', { lastReadIndex: null, lastMessageIndex: 0 });
    const { user } = renderChatView({ client });
    await openRoom(user, 'general');
    await openRoom(user, 'random');

    act(() => {
      client.emitMessage(message('CH1', 1, 'one', 'alice'));
      client.emitMessage(message('CH1', 2, 'two', 'alice'));
    });

    expect(button('general 2 unread')).toBeInTheDocument();
    expect(client.markReadUpTo.mock.calls.filter(([sid]) => sid === 'CH1')).toEqual([['CH1', 0]]);
  });

  it('follows the horizon read on another device, and a newest message the SDK learns after the load', async () => {
    const client = new FakeChatClient();
    client.horizons.set('CH1', { lastReadIndex: 4, lastMessageIndex: 8 });
    // Loaded before the SDK had the room's state: nothing known yet.
    client.horizons.set('CH2', { lastReadIndex: 1, lastMessageIndex: null });
    renderChatView({ client });
    await within(roomsNav()).findByRole('button', { name: 'general 4 unread' });

    act(() => {
      client.emit('readHorizonUpdated', { roomSid: 'CH1', lastReadIndex: 8, lastMessageIndex: 8 });
      client.emit('readHorizonUpdated', { roomSid: 'CH2', lastReadIndex: 1, lastMessageIndex: 3 });
    });
    expect(button('general')).toBeInTheDocument();
    expect(button('random 2 unread')).toBeInTheDocument();

    // Only forward: a late, older report changes nothing.
    act(() => client.emit('readHorizonUpdated', { roomSid: 'CH1', lastReadIndex: 5, lastMessageIndex: 8 }));
    expect(button('general')).toBeInTheDocument();
    expect(client.markReadUpTo).not.toHaveBeenCalled();
  });

  it('does not read the selected room while the page is hidden, and reads it when the page shows again', async () => {
    const client = new FakeChatClient();
    const { user } = renderChatView({ client });
    await openRoom(user, 'general');
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');

    act(() => client.emitMessage(message('CH1', 1, 'while away', 'bob')));
    expect(client.markReadUpTo).not.toHaveBeenCalled();   // opened before any message: nothing to read yet

    visibility.mockReturnValue('visible');
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    expect(client.markReadUpTo).toHaveBeenCalledExactlyOnceWith('CH1', 1);
  });
});

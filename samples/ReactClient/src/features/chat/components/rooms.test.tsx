import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { ApiError } from '@/lib/api-client';
import { deferred, FakeChatClient, FakeHostApi, message, privateRoom, room } from '@/testing/fake-chat-client';
import { allRoomsSection, openRoom, renderChatView, roomsNav, statusWith } from '@/testing/render-chat-view';

import type { ChatRoom } from '../types';

const general = { name: 'general', sid: 'CH1' };
const random = { name: 'random', sid: 'CH2' };
const music = { name: 'music', sid: 'CH3' };

function inGeneralOnly() {
  const client = new FakeChatClient({ rooms: [room('CH1', 'general')] });
  const host = new FakeHostApi([general, random, music]);
  return renderChatView({ client, host });
}

describe('The user\'s rooms', () => {
  it('are listed in name order, whatever order they arrive in, so the list does not move under a click', async () => {
    const client = new FakeChatClient({ rooms: [room('CH2', 'random'), room('CH1', 'general')] });
    renderChatView({ client });
    await within(roomsNav()).findByRole('button', { name: 'general' });
    const names = () => within(roomsNav()).getAllByRole('button').map((b) => b.textContent);
    expect(names()).toEqual(['general', 'random']);

    act(() => client.emit('roomAdded', room('CH3', 'music')));
    expect(names()).toEqual(['general', 'music', 'random']);
  });
});

describe('All rooms', () => {
  it('lists the rooms the user is not in, live from the room events', async () => {
    const { host } = inGeneralOnly();
    await within(roomsNav()).findByRole('button', { name: 'general' });
    act(() => host.source.sendRooms([general, random]));

    const all = allRoomsSection();
    expect(within(all).getByRole('heading', { name: 'All rooms' })).toBeInTheDocument();
    expect(within(all).getByRole('button', { name: 'Join random' })).toBeInTheDocument();
    expect(within(all).queryByRole('button', { name: 'Join general' })).not.toBeInTheDocument();

    act(() => host.source.sendRooms([general, random, music]));
    expect(within(all).getByRole('button', { name: 'Join music' })).toBeInTheDocument();
    act(() => host.source.sendRooms([general]));
    expect(within(all).queryByRole('button', { name: /^Join/ })).not.toBeInTheDocument();
  });

  it('joins through the host, selects the room and keeps it once when conversationAdded follows', async () => {
    const { user, client, host } = inGeneralOnly();
    act(() => host.source.sendRooms([general, random]));
    await user.click(within(allRoomsSection()).getByRole('button', { name: 'Join random' }));

    expect(host.joinRoom).toHaveBeenCalledExactlyOnceWith('random');
    const button = await within(roomsNav()).findByRole('button', { name: 'random' });
    expect(button).toHaveAttribute('aria-current', 'true');
    expect(screen.getByRole('heading', { name: 'random' })).toBeInTheDocument();
    expect(within(allRoomsSection()).queryByRole('button', { name: 'Join random' })).not.toBeInTheDocument();

    act(() => client.emit('roomAdded', room('CH2', 'random')));
    expect(within(roomsNav()).getAllByRole('button', { name: 'random' })).toHaveLength(1);
  });

  it('shows why a join was refused', async () => {
    const { user, host } = inGeneralOnly();
    host.joinRoom.mockRejectedValue(new ApiError('The room random does not exist.', 404));
    act(() => host.source.sendRooms([general, random]));
    await user.click(within(allRoomsSection()).getByRole('button', { name: 'Join random' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('The room random does not exist.');
    expect(within(roomsNav()).queryByRole('button', { name: 'random' })).not.toBeInTheDocument();

    // Moving on clears it.
    await openRoom(user, 'general');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});

describe('Leave room', () => {
  it('leaves through the host; the room moves to the joinable list without a deletion notice', async () => {
    const client = new FakeChatClient();
    const host = new FakeHostApi([general, random]);
    const leaving = deferred<undefined>();
    host.leaveRoom.mockReturnValue(leaving.promise);
    const { user } = renderChatView({ client, host });
    act(() => host.source.sendRooms([general, random]));
    await openRoom(user, 'random');
    await user.click(screen.getByRole('button', { name: 'Leave room' }));

    // The back end says it is gone before the host answers: that is the leave, not a deletion.
    act(() => client.emit('roomRemoved', room('CH2', 'random')));
    expect(statusWith(/was deleted/)).toBeUndefined();
    await act(async () => leaving.resolve(undefined));

    expect(host.leaveRoom).toHaveBeenCalledExactlyOnceWith('random');
    expect(within(roomsNav()).queryByRole('button', { name: 'random' })).not.toBeInTheDocument();
    expect(within(allRoomsSection()).getByRole('button', { name: 'Join random' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Choose a room' })).toBeInTheDocument();
    expect(statusWith(/was deleted/)).toBeUndefined();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows why a leave was refused and keeps the room', async () => {
    const { user, host } = renderChatView({ host: new FakeHostApi([general, random]) });
    host.leaveRoom.mockRejectedValue(new ApiError('You cannot leave general.', 403));
    await openRoom(user, 'general');
    await user.click(screen.getByRole('button', { name: 'Leave room' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('You cannot leave general.');
    expect(within(roomsNav()).getByRole('button', { name: 'general' })).toHaveAttribute('aria-current', 'true');
  });

  it('is not offered without a room', async () => {
    renderChatView();
    await within(roomsNav()).findByRole('button', { name: 'general' });
    expect(screen.queryByRole('button', { name: 'Leave room' })).not.toBeInTheDocument();
  });
});

describe('A room deleted while selected', () => {
  it('clears the selection and says so, without an error or stale messages', async () => {
    const client = new FakeChatClient();
    client.history.set('CH1', { items: [message('CH1', 0, 'old news')], hasPrevPage: false });
    const { user } = renderChatView({ client });
    await openRoom(user, 'general');
    expect(await screen.findByText('old news')).toBeInTheDocument();

    await user.click(screen.getByLabelText('Message'));
    act(() => client.emit('roomRemoved', room('CH1', 'general')));

    expect(statusWith('The room general was deleted.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Choose a room' })).toHaveFocus();
    expect(screen.queryByText('old news')).not.toBeInTheDocument();
    expect(screen.queryByRole('log')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(within(roomsNav()).queryByRole('button', { name: 'general' })).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Choose a room' })).toBeInTheDocument();
    expect(screen.getByLabelText('Message')).toBeDisabled();
  });

  it('says so too when the room is missing from the list reloaded after a reconnect', async () => {
    const { user, client } = renderChatView();
    await openRoom(user, 'random');
    act(() => client.setState('reconnecting'));
    client.rooms = [room('CH1', 'general')];
    act(() => client.setState('connected'));

    expect(await screen.findByText('The room random was deleted.')).toBeInTheDocument();
    expect(statusWith('The room random was deleted.')).toBeInTheDocument();
    expect(screen.queryByRole('log')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Message')).toBeDisabled();
  });

  it('removes another room quietly', async () => {
    const { user, client } = renderChatView();
    await openRoom(user, 'general');
    expect(within(roomsNav()).getByRole('button', { name: 'random' })).toBeInTheDocument();
    act(() => client.emit('roomRemoved', room('CH2', 'random')));
    expect(within(roomsNav()).queryByRole('button', { name: 'random' })).not.toBeInTheDocument();
    expect(statusWith(/was deleted/)).toBeUndefined();
    expect(screen.getByRole('log', { name: 'Messages in general' })).toBeInTheDocument();
  });
});

describe('The user\'s rooms', () => {
  it('adds a room the back end added the user to, and renames one on update', async () => {
    const { client } = renderChatView();
    await within(roomsNav()).findByRole('button', { name: 'general' });
    act(() => client.emit('roomAdded', room('CH5', 'support')));
    act(() => client.emit('roomUpdated', room('CH1', 'General chat')));
    await act(async () => undefined); // the new room's unread count
    expect(within(roomsNav()).getByRole('button', { name: 'support' })).toBeInTheDocument();
    expect(within(roomsNav()).getByRole('button', { name: 'General chat' })).toBeInTheDocument();
  });

  it('keeps the events that arrive while the list loads', async () => {
    const client = new FakeChatClient();
    const loading = deferred<ChatRoom[]>();
    client.getRooms.mockReturnValue(loading.promise);
    renderChatView({ client });
    act(() => {
      client.emit('roomAdded', room('CH5', 'support'));
      client.emit('roomRemoved', room('CH2', 'random'));
    });
    await act(async () => loading.resolve([room('CH1', 'general'), room('CH2', 'random')]));

    const nav = roomsNav();
    expect(within(nav).getByRole('button', { name: 'general' })).toBeInTheDocument();
    expect(within(nav).getByRole('button', { name: 'support' })).toBeInTheDocument();
    expect(within(nav).queryByRole('button', { name: 'random' })).not.toBeInTheDocument();
  });
});

describe('Direct messages', () => {
  it('lists private conversations in their own section, named by the other member, without Leave', async () => {
    const client = new FakeChatClient({ rooms: [room('CH1', 'general'), privateRoom('CH7', ['alice', 'bob'])] });
    const { user } = renderChatView({ client });
    const direct = await within(roomsNav()).findByRole('list', { name: 'Direct messages' });
    expect(within(roomsNav()).getByRole('heading', { name: 'Direct messages' })).toBeInTheDocument();
    expect(within(direct).getByRole('button', { name: 'bob' })).toBeInTheDocument();
    expect(within(direct).queryByRole('button', { name: 'general' })).not.toBeInTheDocument();

    await user.click(within(direct).getByRole('button', { name: 'bob' }));
    expect(screen.getByRole('heading', { name: 'bob' })).toBeInTheDocument();
    expect(screen.getByRole('log', { name: 'Messages in bob' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Leave room' })).not.toBeInTheDocument();
  });
});

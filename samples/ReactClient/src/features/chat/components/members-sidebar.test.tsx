import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { ApiError } from '@/lib/api-client';
import { deferred, FakeChatClient, member, privateRoom, room, smsMember } from '@/testing/fake-chat-client';
import { membersAside, openRoom, renderChatView, roomsNav } from '@/testing/render-chat-view';

import type { ChatMember } from '../types';

function withMembers() {
  const client = new FakeChatClient();
  client.members.set('CH1', [member('CH1', 'bob', true), member('CH1', 'alice', true), member('CH1', 'carol', false), smsMember('CH1', '+15550001111')]);
  client.members.set('CH2', [member('CH2', 'dave', null)]);
  return renderChatView({ client });
}

const items = () => within(within(membersAside()).getByRole('list')).getAllByRole('listitem');
const item = (text: string) => items().find((li) => li.textContent?.includes(text));

describe('Members sidebar', () => {
  it("lists the selected room's participants with their online state", async () => {
    const { user, client } = withMembers();
    expect(within(membersAside()).queryByRole('list')).not.toBeInTheDocument();
    await openRoom(user, 'general');

    await within(membersAside()).findByText('bob');
    expect(client.getMembers).toHaveBeenCalledWith('CH1');
    expect(items()).toHaveLength(4);
    expect(item('bob')).toHaveTextContent('online');
    expect(item('carol')).toHaveTextContent('offline');
    expect(item('+15550001111')).toBeInTheDocument();
    expect(item('+15550001111')).not.toHaveTextContent(/online|offline/);
  });

  it('offers "Message NAME" only for other chat users', async () => {
    const { user } = withMembers();
    await openRoom(user, 'general');
    await within(membersAside()).findByText('bob');
    const aside = membersAside();
    expect(within(aside).getByRole('button', { name: 'Message bob' })).toBeInTheDocument();
    expect(within(aside).getByRole('button', { name: 'Message carol' })).toBeInTheDocument();
    expect(within(aside).queryByRole('button', { name: 'Message alice' })).not.toBeInTheDocument();
    expect(within(aside).getAllByRole('button', { name: /^Message/ })).toHaveLength(2);
  });

  it('shows no online state when the back end does not know it', async () => {
    const { user } = withMembers();
    await openRoom(user, 'random');
    await within(membersAside()).findByText('dave');
    expect(item('dave')).not.toHaveTextContent(/online|offline/);
  });

  it('follows joins, leaves and updates of the selected room only', async () => {
    const { user, client } = withMembers();
    await openRoom(user, 'general');
    await within(membersAside()).findByText('bob');

    act(() => {
      client.emit('memberJoined', member('CH1', 'erin', true));
      client.emit('memberLeft', member('CH1', 'carol'));
      client.emit('memberUpdated', member('CH1', 'bob', false));
      client.emit('memberJoined', member('CH2', 'mallory', true));
    });

    expect(item('erin')).toHaveTextContent('online');
    expect(item('carol')).toBeUndefined();
    expect(item('bob')).toHaveTextContent('offline');
    expect(item('mallory')).toBeUndefined();
    expect(items()).toHaveLength(4);
  });

  it('applies the events that arrive while the members load', async () => {
    const client = new FakeChatClient();
    const loading = deferred<ChatMember[]>();
    client.getMembers.mockReturnValue(loading.promise);
    const { user } = renderChatView({ client });
    await openRoom(user, 'general');

    act(() => {
      client.emit('memberJoined', member('CH1', 'erin', true));
      client.emit('memberLeft', member('CH1', 'carol'));
    });
    await act(async () => loading.resolve([member('CH1', 'bob', true), member('CH1', 'carol', true)]));

    expect(items().map((li) => within(li).getByText(/^(bob|carol|erin)$/).textContent)).toEqual(['bob', 'erin']);
  });

  it('says why the members could not be loaded', async () => {
    const client = new FakeChatClient();
    client.getMembers.mockRejectedValue(new Error('Twilio error 50430: Participant is not a member of the conversation'));
    const { user } = renderChatView({ client });
    await openRoom(user, 'general');
    expect(await within(membersAside()).findByRole('alert')).toHaveTextContent('Participant is not a member');
  });

  it('shows the members of the newly selected room only', async () => {
    const { user } = withMembers();
    await openRoom(user, 'general');
    await within(membersAside()).findByText('bob');
    await openRoom(user, 'random');
    await within(membersAside()).findByText('dave');
    expect(item('bob')).toBeUndefined();
  });
});

describe('Private messages from the members sidebar', () => {
  it('opens a private conversation through the host and selects it once', async () => {
    const { user, client, host } = withMembers();
    await openRoom(user, 'general');
    await user.click(await within(membersAside()).findByRole('button', { name: 'Message bob' }));

    expect(host.openPrivateConversation).toHaveBeenCalledExactlyOnceWith('bob');
    const direct = within(roomsNav()).getByRole('list', { name: 'Direct messages' });
    expect(within(direct).getByRole('button', { name: 'bob' })).toHaveAttribute('aria-current', 'true');
    expect(screen.getByRole('heading', { name: 'bob' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Leave room' })).not.toBeInTheDocument();

    // conversationAdded arrives for both users too: still one.
    act(() => client.emit('roomAdded', privateRoom('CHPbob', ['alice', 'bob'])));
    expect(within(direct).getAllByRole('button', { name: 'bob' })).toHaveLength(1);
  });

  it('selects the existing conversation instead of asking the host again', async () => {
    const client = new FakeChatClient({ rooms: [room('CH1', 'general'), privateRoom('CH7', ['alice', 'bob'])] });
    client.members.set('CH1', [member('CH1', 'bob', true)]);
    const { user, host } = renderChatView({ client });
    await openRoom(user, 'general');
    await user.click(await within(membersAside()).findByRole('button', { name: 'Message bob' }));

    expect(host.openPrivateConversation).not.toHaveBeenCalled();
    expect(within(roomsNav()).getByRole('button', { name: 'bob' })).toHaveAttribute('aria-current', 'true');
  });

  it('shows why the host refused', async () => {
    const { user, host } = withMembers();
    host.openPrivateConversation.mockRejectedValue(new ApiError('bob does not take private messages.', 403));
    await openRoom(user, 'general');
    await user.click(await within(membersAside()).findByRole('button', { name: 'Message bob' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('bob does not take private messages.');
    expect(within(roomsNav()).queryByRole('list', { name: 'Direct messages' })).not.toBeInTheDocument();
  });
});

import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeChatClient, groupRoom, member, privateRoom, room } from '@/testing/fake-chat-client';
import { membersAside, openRoom, renderChatView, roomsNav, statusWith } from '@/testing/render-chat-view';

import { ChatRefusal } from '../types';

const groupsList = () => within(roomsNav()).getByRole('list', { name: 'Groups' });
const newGroupForm = () => screen.getByRole('form', { name: 'New group' });
const addMemberForm = () => within(membersAside()).getByRole('form', { name: 'Add member' });

function withGroup() {
  const client = new FakeChatClient({ rooms: [room('CH1', 'general'), privateRoom('CH7', ['alice', 'bob']), groupRoom('CHG1', 'book club')] });
  client.members.set('CHG1', [member('CHG1', 'alice', true), member('CHG1', 'bob', false)]);
  return renderChatView({ client });
}

describe('Groups', () => {
  it('makes a group through the chat client, lists it under Groups by its name and opens it', async () => {
    const { user, client } = renderChatView();
    await within(roomsNav()).findByRole('button', { name: 'general' });
    expect(within(roomsNav()).getByText('No groups yet.')).toBeInTheDocument();

    await user.type(within(newGroupForm()).getByRole('textbox', { name: 'Group name' }), '  book club ');
    await user.click(within(newGroupForm()).getByRole('button', { name: 'Create group' }));

    expect(client.createGroup).toHaveBeenCalledExactlyOnceWith('book club');
    expect(within(groupsList()).getByRole('button', { name: 'book club' })).toHaveAttribute('aria-current', 'true');
    expect(screen.getByRole('heading', { name: 'book club' })).toBeInTheDocument();
    expect(within(newGroupForm()).getByRole('textbox', { name: 'Group name' })).toHaveValue('');

    // conversationAdded comes for the creator too: still one.
    act(() => client.emit('roomAdded', groupRoom('CHGbook club', 'book club')));
    expect(within(groupsList()).getAllByRole('button', { name: 'book club' })).toHaveLength(1);
  });

  it('does not make a group without a name', async () => {
    const { client } = renderChatView();
    await within(roomsNav()).findByRole('button', { name: 'general' });
    expect(within(newGroupForm()).getByRole('button', { name: 'Create group' })).toBeDisabled();
    expect(client.createGroup).not.toHaveBeenCalled();
  });

  it('says why a group could not be made, and keeps the name', async () => {
    const client = new FakeChatClient();
    client.createGroup.mockRejectedValue(new Error('User unauthorized for command'));
    const { user } = renderChatView({ client });
    await within(roomsNav()).findByRole('button', { name: 'general' });
    await user.type(within(newGroupForm()).getByRole('textbox', { name: 'Group name' }), 'book club');
    await user.click(within(newGroupForm()).getByRole('button', { name: 'Create group' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not create the group book club: User unauthorized for command');
    expect(within(newGroupForm()).getByRole('textbox', { name: 'Group name' })).toHaveValue('book club');
    expect(within(roomsNav()).queryByRole('list', { name: 'Groups' })).not.toBeInTheDocument();
  });

  it('shows a group the user was added to as it arrives', async () => {
    const { client } = renderChatView();
    await within(roomsNav()).findByRole('button', { name: 'general' });
    act(() => client.emit('roomAdded', groupRoom('CHG2', 'walkers')));
    expect(within(groupsList()).getByRole('button', { name: 'walkers' })).toBeInTheDocument();
  });

  it('adds a member by username from the members sidebar of a group', async () => {
    const { user, client } = withGroup();
    await openRoom(user, 'book club');
    await within(membersAside()).findByText('bob');

    await user.type(within(addMemberForm()).getByRole('textbox', { name: 'Username to add' }), 'carol');
    await user.click(within(addMemberForm()).getByRole('button', { name: 'Add member' }));

    expect(client.addMember).toHaveBeenCalledExactlyOnceWith('CHG1', 'carol');
    expect(statusWith('Added carol.')).toBeInTheDocument();
    expect(within(addMemberForm()).getByRole('textbox', { name: 'Username to add' })).toHaveValue('');
  });

  it("shows the back end's refusal of an add as Not allowed", async () => {
    const { user, client } = withGroup();
    client.addMember.mockRejectedValue(new ChatRefusal('not-allowed', 'User not authorized to perform action'));
    await openRoom(user, 'book club');
    await user.type(within(addMemberForm()).getByRole('textbox', { name: 'Username to add' }), 'carol');
    await user.click(within(addMemberForm()).getByRole('button', { name: 'Add member' }));

    expect(await within(membersAside()).findByRole('alert')).toHaveTextContent('Not allowed: User not authorized to perform action');
    expect(within(addMemberForm()).getByRole('textbox', { name: 'Username to add' })).toHaveValue('carol');
    expect(statusWith('Added carol.')).toBeUndefined();
  });

  it('says so when the username belongs to nobody who ever signed in', async () => {
    const { user, client } = withGroup();
    client.addMember.mockRejectedValue(new ChatRefusal('unknown-user', 'nobody has never signed in to this chat.'));
    await openRoom(user, 'book club');
    await user.type(within(addMemberForm()).getByRole('textbox', { name: 'Username to add' }), 'nobody');
    await user.click(within(addMemberForm()).getByRole('button', { name: 'Add member' }));

    expect(await within(membersAside()).findByRole('alert')).toHaveTextContent('Could not add nobody: nobody has never signed in to this chat.');
  });

  it('offers adding members in groups only', async () => {
    const { user } = withGroup();
    await openRoom(user, 'general');
    await within(membersAside()).findByRole('list');
    expect(within(membersAside()).queryByRole('form', { name: 'Add member' })).not.toBeInTheDocument();
    await openRoom(user, 'bob');
    expect(within(membersAside()).queryByRole('form', { name: 'Add member' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Leave group' })).not.toBeInTheDocument();
  });

  it('leaves a group through the chat client', async () => {
    const { user, client } = withGroup();
    await openRoom(user, 'book club');
    expect(screen.queryByRole('button', { name: 'Leave room' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Leave group' }));

    expect(client.leaveGroup).toHaveBeenCalledExactlyOnceWith('CHG1');
    expect(within(roomsNav()).queryByRole('list', { name: 'Groups' })).not.toBeInTheDocument();
    expect(statusWith('You left book club.')).toBeInTheDocument();
    // Its conversationLeft follows: no "deleted" notice.
    act(() => client.emit('roomRemoved', groupRoom('CHG1', 'book club')));
    expect(statusWith('You left book club.')).toBeInTheDocument();
  });

  it('says so when the user was taken out of the group they are reading', async () => {
    const { user, client } = withGroup();
    await openRoom(user, 'book club');
    act(() => client.emit('roomRemoved', groupRoom('CHG1', 'book club')));
    expect(statusWith('You are no longer in the group book club.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Choose a room' })).toBeInTheDocument();
  });
});

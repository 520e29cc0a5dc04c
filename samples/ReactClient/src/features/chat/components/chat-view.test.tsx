import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { deferred, FakeChatClient, FakeHostApi, message } from '@/testing/fake-chat-client';

import type { MessagePage } from '../types';
import { ChatView } from './chat-view';

function setup(client = new FakeChatClient()) {
  const user = userEvent.setup();
  const host = new FakeHostApi();
  render(<ChatView client={client} identity="alice" host={host} />);
  return { user, client, host };
}

describe('ChatView', () => {
  it('lists the rooms as buttons in a navigation', async () => {
    setup();
    const nav = screen.getByRole('navigation', { name: 'Rooms' });
    expect(await within(nav).findByRole('button', { name: 'general' })).toBeInTheDocument();
    expect(within(nav).getByRole('button', { name: 'random' })).toBeInTheDocument();
  });

  it('disables the input until a room is chosen', async () => {
    setup();
    await screen.findByRole('button', { name: 'general' });
    expect(screen.getByLabelText('Message')).toBeDisabled();
    expect(screen.queryByRole('log')).not.toBeInTheDocument();
  });

  it('shows the selected room messages and marks the room current', async () => {
    const client = new FakeChatClient();
    client.history.set('CH1', { items: [message('CH1', 0, 'hello'), message('CH1', 1, 'there', 'carol')], hasPrevPage: false });
    const { user } = setup(client);
    await user.click(await screen.findByRole('button', { name: 'general' }));

    const log = await screen.findByRole('log', { name: 'Messages in general' });
    expect(await within(log).findByText('hello')).toBeInTheDocument();
    expect(within(log).getByText('carol')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'general' })).toHaveAttribute('aria-current', 'true');
    expect(screen.getByRole('button', { name: 'random' })).not.toHaveAttribute('aria-current');
    expect(screen.getByLabelText('Message')).toBeEnabled();
  });

  it('ignores a stale answer for a room the reader already left', async () => {
    const client = new FakeChatClient();
    const slow = deferred<MessagePage>();
    client.getMessages.mockImplementation(async (roomSid: string) =>
      roomSid === 'CH1' ? slow.promise : { items: [message('CH2', 0, 'random talk')], hasPrevPage: false },
    );
    const { user } = setup(client);
    await user.click(await screen.findByRole('button', { name: 'general' }));
    await user.click(screen.getByRole('button', { name: 'random' }));
    expect(await screen.findByText('random talk')).toBeInTheDocument();

    await act(async () => slow.resolve({ items: [message('CH1', 0, 'general talk')], hasPrevPage: false }));
    expect(screen.queryByText('general talk')).not.toBeInTheDocument();
    expect(screen.getByRole('log', { name: 'Messages in random' })).toHaveTextContent('random talk');
  });

  it('appends a live message once, and only in its room', async () => {
    const client = new FakeChatClient();
    client.history.set('CH1', { items: [message('CH1', 0, 'first')], hasPrevPage: false });
    const { user } = setup(client);
    await user.click(await screen.findByRole('button', { name: 'general' }));
    await screen.findByText('first');

    act(() => {
      client.emitMessage(message('CH1', 1, 'live one'));
      client.emitMessage(message('CH1', 1, 'live one'));
      client.emitMessage(message('CH2', 0, 'elsewhere'));
    });
    expect(screen.getAllByText('live one')).toHaveLength(1);
    expect(screen.queryByText('elsewhere')).not.toBeInTheDocument();
  });

  it('keeps a message that arrives while history loads, without doubling one that is in both', async () => {
    const client = new FakeChatClient();
    const history = deferred<MessagePage>();
    client.getMessages.mockReturnValue(history.promise);
    const { user } = setup(client);
    await user.click(await screen.findByRole('button', { name: 'general' }));

    act(() => {
      client.emitMessage(message('CH1', 2, 'during load'));
      client.emitMessage(message('CH1', 3, 'after snapshot'));
    });
    await act(async () =>
      history.resolve({ items: [message('CH1', 1, 'old'), message('CH1', 2, 'during load')], hasPrevPage: false }),
    );

    const items = within(screen.getByRole('log')).getAllByRole('listitem');
    expect(items.map((item) => within(item).getByText(/old|during load|after snapshot/).textContent)).toEqual([
      'old',
      'during load',
      'after snapshot',
    ]);
  });

  it('loads the latest page again after a reconnect and merges it without doubles', async () => {
    const client = new FakeChatClient();
    client.history.set('CH1', { items: [message('CH1', 0, 'before')], hasPrevPage: false });
    const { user } = setup(client);
    await user.click(await screen.findByRole('button', { name: 'general' }));
    await screen.findByText('before');

    act(() => client.setState('reconnecting'));
    expect(screen.getByText('before')).toBeInTheDocument();
    client.history.set('CH1', { items: [message('CH1', 0, 'before'), message('CH1', 1, 'missed')], hasPrevPage: false });
    act(() => client.setState('connected'));

    expect(await screen.findByText('missed')).toBeInTheDocument();
    expect(screen.getAllByText('before')).toHaveLength(1);
  });

  it('shows a body as text, never as HTML', async () => {
    const client = new FakeChatClient();
    const evil = '<img src=x onerror=alert(1)>';
    client.history.set('CH1', { items: [message('CH1', 0, evil, '<b>mallory</b>')], hasPrevPage: false });
    const { user } = setup(client);
    await user.click(await screen.findByRole('button', { name: 'general' }));

    const log = await screen.findByRole('log');
    expect(await within(log).findByText(evil)).toBeInTheDocument();
    expect(within(log).getByText('<b>mallory</b>')).toBeInTheDocument();
    expect(log.querySelector('img')).toBeNull();
    expect(log.querySelector('b')).toBeNull();
  });

  it('loads older messages on request when there is a previous page', async () => {
    const client = new FakeChatClient();
    client.getMessages.mockImplementation(async (_room: string, _size: number, anchor?: number) =>
      anchor === undefined
        ? { items: [message('CH1', 5, 'newer')], hasPrevPage: true }
        : { items: [message('CH1', 4, 'older')], hasPrevPage: false },
    );
    const { user } = setup(client);
    await user.click(await screen.findByRole('button', { name: 'general' }));
    await user.click(await screen.findByRole('button', { name: 'Load older messages' }));

    expect(await screen.findByText('older')).toBeInTheDocument();
    expect(client.getMessages).toHaveBeenLastCalledWith('CH1', 30, 5);
    expect(screen.queryByRole('button', { name: 'Load older messages' })).not.toBeInTheDocument();
  });

  it('shows a connection banner while connecting, reconnecting and offline', async () => {
    const client = new FakeChatClient({ state: 'connecting' });
    setup(client);
    await act(async () => undefined); // the host's room list
    const banner = () => screen.getByRole('status', { name: 'Connection' });
    expect(banner()).toHaveTextContent('Connecting');
    act(() => client.setState('connected'));
    expect(banner()).toHaveTextContent('');
    act(() => client.setState('reconnecting'));
    expect(banner()).toHaveTextContent('Reconnecting');
    act(() => client.setState('disconnected'));
    expect(banner()).toHaveTextContent('Offline');
  });
});

describe('MessageInput in the chat', () => {
  async function inRoom(client = new FakeChatClient()) {
    const rendered = setup(client);
    await rendered.user.click(await screen.findByRole('button', { name: 'general' }));
    return rendered;
  }

  it('sends on Enter and clears the input', async () => {
    const { user, client } = await inRoom();
    const input = screen.getByLabelText('Message');
    await user.type(input, '  hi all  {Enter}');
    expect(client.sendMessage).toHaveBeenCalledExactlyOnceWith('CH1', 'hi all');
    expect(input).toHaveValue('');
  });

  it('keeps what is typed while a message is being sent, and sends it next when Enter was pressed', async () => {
    const client = new FakeChatClient();
    const first = deferred<number>();
    client.sendMessage.mockImplementationOnce(() => first.promise);
    const { user } = await inRoom(client);
    const input = screen.getByLabelText('Message');
    await user.type(input, 'one{Enter}');
    await user.type(input, '{Control>}a{/Control}two{Enter}');
    expect(client.sendMessage).toHaveBeenCalledExactlyOnceWith('CH1', 'one');

    await act(async () => first.resolve(0));

    await waitFor(() => expect(client.sendMessage).toHaveBeenLastCalledWith('CH1', 'two'));
    expect(client.sendMessage).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(input).toHaveValue(''));
  });

  it('does not send an empty or blank message', async () => {
    const { user, client } = await inRoom();
    const input = screen.getByLabelText('Message');
    await user.type(input, '{Enter}');
    await user.type(input, '   {Enter}');
    expect(client.sendMessage).not.toHaveBeenCalled();
  });

  it('keeps the text and says so when sending fails', async () => {
    const client = new FakeChatClient();
    client.sendMessage.mockRejectedValue(new Error('Twilio error 50430: Participant is not a member of the conversation'));
    const { user } = await inRoom(client);
    const input = screen.getByLabelText('Message');
    await user.type(input, 'precious words{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('Participant is not a member');
    expect(input).toHaveValue('precious words');
  });
});

import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { deferred, FakeChatClient, message } from '@/testing/fake-chat-client';

import { openRoom, renderChatView } from '@/testing/render-chat-view';

async function inGeneral() {
  const client = new FakeChatClient();
  client.history.set('CH1', {
    items: [message('CH1', 0, 'from bob', 'bob'), message('CH1', 1, 'my words', 'alice')],
    hasPrevPage: false,
  });
  const rendered = renderChatView({ client });
  await openRoom(rendered.user, 'general');
  await screen.findByText('my words');
  return rendered;
}

const messageItem = (text: string) => {
  const found = within(screen.getByRole('log')).getAllByRole('listitem').find((li) => li.textContent?.includes(text));
  if (!found) throw new Error(`No message with "${text}".`);
  return found;
};

describe('Editing and deleting one\'s own messages', () => {
  it("offers Edit and Delete on the user's own messages only", async () => {
    await inGeneral();
    expect(within(messageItem('my words')).getByRole('button', { name: 'Edit message' })).toBeInTheDocument();
    expect(within(messageItem('my words')).getByRole('button', { name: 'Delete message' })).toBeInTheDocument();
    expect(within(messageItem('from bob')).queryByRole('button', { name: 'Edit message' })).not.toBeInTheDocument();
    expect(within(messageItem('from bob')).queryByRole('button', { name: 'Delete message' })).not.toBeInTheDocument();
  });

  it('saves an edit on Enter; the new body and "(edited)" come with messageUpdated', async () => {
    const { user, client } = await inGeneral();
    await user.click(within(messageItem('my words')).getByRole('button', { name: 'Edit message' }));
    const editor = screen.getByRole('textbox', { name: 'Edit message' });
    expect(editor).toHaveValue('my words');
    expect(editor).toHaveFocus();
    await user.clear(editor);
    await user.type(editor, 'better words{Enter}');

    expect(client.updateMessage).toHaveBeenCalledExactlyOnceWith('CH1', 1, 'better words');
    expect(screen.queryByRole('textbox', { name: 'Edit message' })).not.toBeInTheDocument();

    act(() => client.emit('messageUpdated', { ...message('CH1', 1, 'better words', 'alice'), edited: true }));
    const item = messageItem('better words');
    expect(item).toHaveTextContent('(edited)');
    expect(screen.queryByText('my words')).not.toBeInTheDocument();
  });

  it('saves with the Save button too', async () => {
    const { user, client } = await inGeneral();
    await user.click(within(messageItem('my words')).getByRole('button', { name: 'Edit message' }));
    await user.type(screen.getByRole('textbox', { name: 'Edit message' }), '!');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(client.updateMessage).toHaveBeenCalledExactlyOnceWith('CH1', 1, 'my words!');
  });

  it('cancels an edit with Escape or Cancel, changing nothing', async () => {
    const { user, client } = await inGeneral();
    await user.click(within(messageItem('my words')).getByRole('button', { name: 'Edit message' }));
    await user.type(screen.getByRole('textbox', { name: 'Edit message' }), ' changed{Escape}');
    expect(screen.queryByRole('textbox', { name: 'Edit message' })).not.toBeInTheDocument();

    await user.click(within(messageItem('my words')).getByRole('button', { name: 'Edit message' }));
    await user.type(screen.getByRole('textbox', { name: 'Edit message' }), ' changed');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));

    expect(client.updateMessage).not.toHaveBeenCalled();
    expect(messageItem('my words')).not.toHaveTextContent('changed');
  });

  it('closes the editor without a call when the text did not change', async () => {
    const { user, client } = await inGeneral();
    await user.click(within(messageItem('my words')).getByRole('button', { name: 'Edit message' }));
    await user.type(screen.getByRole('textbox', { name: 'Edit message' }), '{Enter}');
    expect(screen.queryByRole('textbox', { name: 'Edit message' })).not.toBeInTheDocument();
    expect(client.updateMessage).not.toHaveBeenCalled();
  });

  it('shows a refused edit and keeps the editor open', async () => {
    const { user, client } = await inGeneral();
    client.updateMessage.mockRejectedValue(new Error('Twilio error 50107: User not authorized to edit this message'));
    await user.click(within(messageItem('my words')).getByRole('button', { name: 'Edit message' }));
    await user.type(screen.getByRole('textbox', { name: 'Edit message' }), '!{Enter}');

    expect(await screen.findByRole('alert')).toHaveTextContent('User not authorized to edit this message');
    expect(screen.getByRole('textbox', { name: 'Edit message' })).toHaveValue('my words!');
  });

  it('deletes after an inline confirmation; the message goes with messageRemoved', async () => {
    const { user, client } = await inGeneral();
    await user.click(within(messageItem('my words')).getByRole('button', { name: 'Delete message' }));
    expect(client.removeMessage).not.toHaveBeenCalled();
    await user.click(within(messageItem('my words')).getByRole('button', { name: 'Confirm delete' }));

    expect(client.removeMessage).toHaveBeenCalledExactlyOnceWith('CH1', 1);
    expect(screen.getByLabelText('Message')).toHaveFocus();
    // Until messageRemoved arrives the message stays, without buttons to act on it again.
    expect(within(messageItem('my words')).queryByRole('button')).not.toBeInTheDocument();
    act(() => client.emit('messageRemoved', message('CH1', 1, 'my words', 'alice')));
    expect(screen.queryByText('my words')).not.toBeInTheDocument();
    expect(screen.getByText('from bob')).toBeInTheDocument();
  });

  it('keeps the message when the deletion is cancelled', async () => {
    const { user, client } = await inGeneral();
    await user.click(within(messageItem('my words')).getByRole('button', { name: 'Delete message' }));
    await user.click(within(messageItem('my words')).getByRole('button', { name: 'Cancel' }));
    expect(client.removeMessage).not.toHaveBeenCalled();
    expect(within(messageItem('my words')).getByRole('button', { name: 'Delete message' })).toBeInTheDocument();

    await user.click(within(messageItem('my words')).getByRole('button', { name: 'Delete message' }));
    expect(within(messageItem('my words')).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(within(messageItem('my words')).queryByRole('button', { name: 'Confirm delete' })).not.toBeInTheDocument();
    expect(client.removeMessage).not.toHaveBeenCalled();
  });

  it('shows a refused deletion', async () => {
    const { user, client } = await inGeneral();
    client.removeMessage.mockRejectedValue(new Error('Twilio error 50107: User not authorized to remove this message'));
    await user.click(within(messageItem('my words')).getByRole('button', { name: 'Delete message' }));
    await user.click(within(messageItem('my words')).getByRole('button', { name: 'Confirm delete' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('User not authorized to remove this message');
    expect(screen.getByText('my words')).toBeInTheDocument();
  });

  it("shows other people's edits and deletions live", async () => {
    const { client } = await inGeneral();
    act(() => client.emit('messageUpdated', { ...message('CH1', 0, 'from bob, fixed', 'bob'), edited: true }));
    expect(messageItem('from bob, fixed')).toHaveTextContent('(edited)');
    act(() => client.emit('messageRemoved', message('CH1', 0, 'from bob, fixed', 'bob')));
    expect(screen.queryByText('from bob, fixed')).not.toBeInTheDocument();
    act(() => client.emit('messageRemoved', message('CH2', 1, 'other room', 'bob')));
    expect(screen.getByText('my words')).toBeInTheDocument();
  });

  it('does not bring back a removed message when a late copy of it arrives', async () => {
    const { client } = await inGeneral();
    act(() => {
      client.emit('messageRemoved', message('CH1', 0, 'from bob', 'bob'));
      client.emitMessage(message('CH1', 0, 'from bob', 'bob'));
    });
    expect(screen.queryByText('from bob')).not.toBeInTheDocument();
  });

  it('does not bring back a message removed while the history was loading', async () => {
    const client = new FakeChatClient();
    const history = deferred<{ items: ReturnType<typeof message>[]; hasPrevPage: boolean }>();
    client.getMessages.mockReturnValue(history.promise);
    const { user } = renderChatView({ client });
    await openRoom(user, 'general');
    act(() => client.emit('messageRemoved', message('CH1', 0, 'gone', 'bob')));
    await act(async () => history.resolve({ items: [message('CH1', 0, 'gone', 'bob'), message('CH1', 1, 'kept')], hasPrevPage: false }));
    expect(screen.getByText('kept')).toBeInTheDocument();
    expect(screen.queryByText('gone')).not.toBeInTheDocument();
  });

  it('lets an edit that arrives while the history loads win over the snapshot', async () => {
    const client = new FakeChatClient();
    const history = deferred<{ items: ReturnType<typeof message>[]; hasPrevPage: boolean }>();
    client.getMessages.mockReturnValue(history.promise);
    const { user } = renderChatView({ client });
    await openRoom(user, 'general');
    act(() => {
      client.emit('messageUpdated', { ...message('CH1', 4, 'fixed', 'bob'), edited: true });
      client.emit('messageUpdated', { ...message('CH1', 1, 'too old for the page', 'bob'), edited: true });
    });
    await act(async () =>
      history.resolve({ items: [message('CH1', 3, 'three'), message('CH1', 4, 'typo', 'bob')], hasPrevPage: true }),
    );
    expect(messageItem('fixed')).toHaveTextContent('(edited)');
    expect(screen.queryByText('typo')).not.toBeInTheDocument();
    expect(screen.queryByText('too old for the page')).not.toBeInTheDocument();
  });

  it('shows edits and deletions made while the connection was down', async () => {
    const { client } = await inGeneral();
    act(() => client.emitMessage(message('CH1', 2, 'soon deleted', 'bob')));
    expect(screen.getByText('soon deleted')).toBeInTheDocument();
    act(() => client.setState('reconnecting'));
    client.history.set('CH1', {
      items: [{ ...message('CH1', 1, 'my words, fixed elsewhere', 'alice'), edited: true }, message('CH1', 3, 'new')],
      hasPrevPage: true,
    });
    act(() => client.setState('connected'));

    expect(await screen.findByText('new')).toBeInTheDocument();
    expect(messageItem('my words, fixed elsewhere')).toHaveTextContent('(edited)');
    expect(screen.queryByText('my words')).not.toBeInTheDocument();
    expect(screen.queryByText('soon deleted')).not.toBeInTheDocument();
    // Index 0 is older than the reloaded page: kept.
    expect(screen.getByText('from bob')).toBeInTheDocument();
  });
});

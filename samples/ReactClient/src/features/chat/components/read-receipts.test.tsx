import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FakeChatClient, member, message } from '@/testing/fake-chat-client';
import { openRoom, renderChatView } from '@/testing/render-chat-view';

function log() {
  return screen.getByRole('log', { name: 'Messages in general' });
}

function item(body: string) {
  const found = within(log()).getAllByRole('listitem').find((li) => li.textContent?.includes(body));
  if (!found) throw new Error(`no message "${body}"`);
  return found;
}

describe('read receipts in the message log', () => {
  it("shows under alice's own messages who has read them, and follows the members' read horizons live", async () => {
    const client = new FakeChatClient();
    client.history.set('CH1', {
      items: [message('CH1', 0, 'first from alice', 'alice'), message('CH1', 1, 'from bob', 'bob'), message('CH1', 2, 'second from alice', 'alice')],
      hasPrevPage: false,
    });
    client.members.set('CH1', [member('CH1', 'alice', true, 2), member('CH1', 'bob', true, 1), member('CH1', 'carol', false, null)]);
    const { user } = renderChatView({ client });
    await openRoom(user, 'general');
    await within(log()).findByText('second from alice');
    await screen.findByText('Seen by bob');

    expect(item('first from alice')).toHaveTextContent('Seen by bob');
    expect(item('second from alice')).not.toHaveTextContent('Seen by');
    expect(item('from bob')).not.toHaveTextContent('Seen by');

    act(() => client.emit('memberUpdated', member('CH1', 'carol', true, 2)));

    expect(item('second from alice')).toHaveTextContent('Seen by carol');
    expect(item('first from alice')).toHaveTextContent('Seen by bob, carol');
  });
});

import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { message } from '@/testing/fake-chat-client';

import { MessageItem } from './message-item';

function renderItem(reactions: Record<string, string[]>, onReact = vi.fn(async () => undefined)) {
  const item = { ...message('CH1', 4, 'from bob', 'bob'), reactions };
  render(
    <ul>
      <MessageItem message={item} own={false} identity="alice" onEdit={vi.fn()} onDelete={vi.fn()} onReact={onReact} />
    </ul>,
  );
  return { item, onReact };
}

describe('reactions under a message', () => {
  it('shows everyone\'s count per emoji and adds the user\'s with one click', async () => {
    const { item, onReact } = renderItem({ thumbs_up: ['bob', 'carol'] });
    const group = screen.getByRole('group', { name: "Reactions to bob's message" });
    expect(group).toBeInTheDocument();
    const thumbsUp = screen.getByRole('button', { name: 'thumbs up: 2' });
    expect(thumbsUp).toHaveAttribute('aria-pressed', 'false');
    expect(screen.getByRole('button', { name: 'heart: 0' })).toHaveAttribute('aria-pressed', 'false');

    await userEvent.click(thumbsUp);

    expect(onReact).toHaveBeenCalledWith(item, 'thumbs_up', true);
  });

  it('takes the user\'s own reaction back with a second click', async () => {
    const { item, onReact } = renderItem({ heart: ['alice'] });
    const heart = screen.getByRole('button', { name: 'heart: 1' });
    expect(heart).toHaveAttribute('aria-pressed', 'true');

    await userEvent.click(heart);

    expect(onReact).toHaveBeenCalledWith(item, 'heart', false);
  });

  it('says so when the reaction was refused', async () => {
    renderItem({}, vi.fn(async () => Promise.reject(new Error('Forbidden'))));

    await userEvent.click(screen.getByRole('button', { name: 'laugh: 0' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Reaction not saved: Forbidden');
  });
});

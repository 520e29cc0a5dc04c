import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { FakeChatClient, FakeHostApi } from '@/testing/fake-chat-client';

import { ChatView } from '@/features/chat';

/** Renders the chat as alice against a fake back end and a fake host. */
export function renderChatView({
  client = new FakeChatClient(),
  host = new FakeHostApi(),
  identity = 'alice',
}: { client?: FakeChatClient; host?: FakeHostApi; identity?: string } = {}) {
  const user = userEvent.setup();
  render(<ChatView client={client} identity={identity} host={host} />);
  return { user, client, host };
}

export const roomsNav = () => screen.getByRole('navigation', { name: 'Rooms' });
export const membersAside = () => screen.getByRole('complementary', { name: 'Members' });
export const allRoomsSection = () => screen.getByRole('region', { name: 'All rooms' });

/** The status region whose text matches, or undefined. */
export function statusWith(text: string | RegExp): HTMLElement | undefined {
  return screen
    .getAllByRole('status')
    .find((status) => (typeof text === 'string' ? status.textContent === text : text.test(status.textContent ?? '')));
}

/** The status region that says who is typing. */
export const typingStatus = () => screen.getByRole('status', { name: 'Typing' });

export async function openRoom(user: ReturnType<typeof userEvent.setup>, name: string | RegExp) {
  await user.click(await within(roomsNav()).findByRole('button', { name }));
}

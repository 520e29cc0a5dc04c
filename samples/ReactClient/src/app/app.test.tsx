import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { Session } from '@/features/auth';
import { ApiError } from '@/lib/api-client';
import { FakeChatClient, FakeHostApi, message } from '@/testing/fake-chat-client';

import { App } from './app';
import type { AppServices } from './services';

function session(overrides: Partial<Session> = {}): Session {
  return {
    identity: 'alice',
    token: 'token-1',
    expiresAt: new Date(Date.now() + 60 * 60_000).toISOString(),
    backend: 'emulator',
    emulatorHubUrl: '/emulator/hub',
    rooms: [{ name: 'general', sid: 'CH1' }],
    ...overrides,
  };
}

function services(client: FakeChatClient, overrides: Partial<AppServices> = {}) {
  return {
    login: vi.fn(async (username: string) => session({ identity: username })),
    refreshToken: vi.fn(async () => ({ token: 'token-2', expiresAt: new Date(Date.now() + 60 * 60_000).toISOString() })),
    createChatClient: vi.fn(async () => client),
    createHostApi: vi.fn(() => new FakeHostApi()),
    ...overrides,
  } satisfies AppServices;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('App', () => {
  it('logs in, shows the user and the rooms, and connects', async () => {
    const user = userEvent.setup();
    const client = new FakeChatClient({ state: 'disconnected' });
    const fakes = services(client);
    render(<App services={fakes} />);

    await user.type(screen.getByLabelText('Username'), 'alice');
    await user.click(screen.getByRole('button', { name: 'Log in' }));

    expect(await screen.findByText('Username: alice')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Log out' })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'general' })).toBeInTheDocument();
    expect(fakes.login).toHaveBeenCalledWith('alice');
    expect(fakes.createChatClient).toHaveBeenCalledWith({
      backend: 'emulator',
      token: 'token-1',
      emulatorHubUrl: '/emulator/hub',
    });
    expect(client.connect).toHaveBeenCalledOnce();
    expect(vi.mocked(fakes.createHostApi).mock.calls[0]?.[0]?.getToken()).toBe('token-1');
    expect(screen.getByRole('heading', { name: 'Choose a room' })).toHaveFocus();
  });

  it("hands the chat the user's identity and the host", async () => {
    const user = userEvent.setup();
    const client = new FakeChatClient();
    client.history.set('CH1', { items: [message('CH1', 0, 'mine', 'alice'), message('CH1', 1, 'theirs', 'bob')], hasPrevPage: false });
    const host = new FakeHostApi([{ name: 'general', sid: 'CH1' }, { name: 'random', sid: 'CH2' }]);
    client.rooms = [{ sid: 'CH1', name: 'general', kind: 'room', members: [] }];
    render(<App services={services(client, { createHostApi: vi.fn(() => host) })} />);
    await user.type(screen.getByLabelText('Username'), 'alice{Enter}');

    await user.click(await screen.findByRole('button', { name: 'general' }));
    await screen.findByText('mine');
    const items = within(screen.getByRole('log')).getAllByRole('listitem');
    expect(within(items[0] as HTMLElement).getByRole('button', { name: 'Edit message' })).toBeInTheDocument();
    expect(within(items[1] as HTMLElement).queryByRole('button', { name: 'Edit message' })).not.toBeInTheDocument();

    act(() => host.source.sendRooms([{ name: 'general', sid: 'CH1' }, { name: 'random', sid: 'CH2' }]));
    await user.click(screen.getByRole('button', { name: 'Join random' }));
    expect(host.joinRoom).toHaveBeenCalledWith('random');
  });

  it('shows a readable error when login fails', async () => {
    const user = userEvent.setup();
    const fakes = services(new FakeChatClient(), {
      login: vi.fn(async () => {
        throw new ApiError('The username must not contain control characters.', 400);
      }),
    });
    render(<App services={fakes} />);

    await user.type(screen.getByLabelText('Username'), 'bad{Enter}');

    expect(await screen.findByRole('alert')).toHaveTextContent('The username must not contain control characters.');
    expect(screen.getByLabelText('Username')).toHaveValue('bad');
    expect(screen.queryByRole('button', { name: 'Log out' })).not.toBeInTheDocument();
  });

  it('shuts the chat client down on logout', async () => {
    const user = userEvent.setup();
    const client = new FakeChatClient();
    render(<App services={services(client)} />);
    await user.type(screen.getByLabelText('Username'), 'alice{Enter}');
    await user.click(await screen.findByRole('button', { name: 'Log out' }));

    expect(client.shutdown).toHaveBeenCalledOnce();
    expect(screen.getByLabelText('Username')).toBeInTheDocument();
    expect(screen.queryByText('Username: alice')).not.toBeInTheDocument();
  });

  it('refreshes the token before it expires and hands it to the client', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldAdvanceTime: true });
    const now = Date.parse('2026-11-25T06:00:00Z');
    vi.setSystemTime(now);
    const client = new FakeChatClient();
    const fakes = services(client, {
      login: vi.fn(async () => session({ expiresAt: new Date(now + 10 * 60_000).toISOString() })),
      refreshToken: vi.fn(async () => ({ token: 'token-2', expiresAt: new Date(now + 20 * 60_000).toISOString() })),
    });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render(<App services={fakes} />);
    await user.type(screen.getByLabelText('Username'), 'alice{Enter}');
    await screen.findByText('Username: alice');

    // Ten minutes of life: the refresh runs a minute (a tenth) before expiry, not earlier.
    await act(async () => vi.advanceTimersByTimeAsync(8 * 60_000));
    expect(fakes.refreshToken).not.toHaveBeenCalled();
    await act(async () => vi.advanceTimersByTimeAsync(60_000 + 1_000));
    expect(fakes.refreshToken).toHaveBeenCalledExactlyOnceWith('token-1');
    expect(client.updateToken).toHaveBeenCalledExactlyOnceWith('token-2');
    // The host calls use the fresh token as Bearer from now on.
    const hostOptions = vi.mocked(fakes.createHostApi).mock.calls[0]?.[0];
    expect(hostOptions?.getToken()).toBe('token-2');

    // And the next refresh is scheduled from the new expiry, with the new token.
    await act(async () => vi.advanceTimersByTimeAsync(10 * 60_000));
    expect(fakes.refreshToken).toHaveBeenLastCalledWith('token-2');
  });
});

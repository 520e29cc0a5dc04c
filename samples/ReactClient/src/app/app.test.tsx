import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { PasskeyApi, Session, WebAuthn } from '@/features/auth';
import { ApiError } from '@/lib/api-client';
import { FakeChatClient, FakeHostApi, message } from '@/testing/fake-chat-client';

import { App } from './app';
import type { AppServices } from './services';

function session(overrides: Partial<Session> = {}): Session {
  return {
    identity: 'alice',
    token: 'token-1',
    expiresAt: new Date(Date.now() + 60 * 60_000).toISOString(),
    chatClientOptions: { Twilsock: { uri: '/emulator/twilsock' } },
    rooms: [{ name: 'general', sid: 'CH1' }],
    ...overrides,
  };
}

const noSession = () => Promise.reject(new ApiError('A username is required', 401));

function fakePasskeys(): PasskeyApi {
  return {
    list: vi.fn(async () => [{ id: 'pk1', name: 'Passkey 1', createdAt: '2026-12-01T00:00:00Z' }]),
    add: vi.fn(async () => ({ id: 'pk2', name: 'Passkey 2', createdAt: '2026-12-01T00:00:00Z' })),
    remove: vi.fn(async () => undefined),
    signIn: vi.fn(async () => session({ identity: 'passkey-user' })),
  };
}

const webAuthn: WebAuthn = { isSupported: () => true, create: vi.fn(async () => ({})), get: vi.fn(async () => ({})) };

function services(client: FakeChatClient, overrides: Partial<AppServices> = {}): AppServices {
  return {
    signIn: vi.fn(async (username: string) => session({ identity: username })),
    createAccount: vi.fn(async (username: string) => session({ identity: username })),
    resumeSession: vi.fn(noSession),
    signOut: vi.fn(async () => undefined),
    refreshToken: vi.fn(async () => ({ token: 'token-2', expiresAt: new Date(Date.now() + 60 * 60_000).toISOString() })),
    passkeys: fakePasskeys(),
    webAuthn,
    createChatClient: vi.fn(async () => client),
    createHostApi: vi.fn(() => new FakeHostApi()),
    ...overrides,
  };
}

async function signInAs(user: ReturnType<typeof userEvent.setup>, name: string, password = 'Secr3t!x') {
  await user.type(await screen.findByLabelText('Username'), name);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('App', () => {
  it('signs in with a password, shows the user and the rooms, and connects', async () => {
    const user = userEvent.setup();
    const client = new FakeChatClient({ state: 'disconnected' });
    const fakes = services(client);
    render(<App services={fakes} />);

    await signInAs(user, 'alice', 'Secr3t!x');

    expect(await screen.findByText('Username: alice')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: 'general' })).toBeInTheDocument();
    expect(fakes.signIn).toHaveBeenCalledWith('alice', 'Secr3t!x');
    expect(fakes.createChatClient).toHaveBeenCalledWith({
      token: 'token-1',
      sdkOptions: { Twilsock: { uri: '/emulator/twilsock' } },
    });
    expect(client.connect).toHaveBeenCalledOnce();
    expect(screen.getByRole('heading', { name: 'Choose a room' })).toHaveFocus();
  });

  it('goes straight into the chat when the cookie still carries a session (a reload)', async () => {
    const client = new FakeChatClient();
    const fakes = services(client, { resumeSession: vi.fn(async () => session({ identity: 'carol' })) });
    render(<App services={fakes} />);

    expect(await screen.findByText('Username: carol')).toBeInTheDocument();
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument();
    expect(client.connect).toHaveBeenCalledOnce();
  });

  it('creates an account, showing every password rule the host names', async () => {
    const user = userEvent.setup();
    const fakes = services(new FakeChatClient(), {
      createAccount: vi.fn(async () => {
        throw new ApiError('Passwords must be at least 6 characters.', 400, {
          password: ['Passwords must be at least 6 characters.', "Passwords must have at least one digit ('0'-'9')."],
        });
      }),
    });
    render(<App services={fakes} />);
    await user.click(await screen.findByRole('button', { name: 'Create an account' }));
    expect(screen.getByRole('heading', { name: 'Create an account' })).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(/At least 8 characters, 12 or more recommended/);

    await user.type(screen.getByLabelText('Username'), 'dave');
    await user.type(screen.getByLabelText('Password'), 'abc');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    const alert = await screen.findByRole('alert');
    expect(within(alert).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Passwords must be at least 6 characters.',
      "Passwords must have at least one digit ('0'-'9').",
    ]);
    expect(fakes.createAccount).toHaveBeenCalledWith('dave', 'abc');
    expect(screen.queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument();
  });

  it("hands the chat the user's identity and the host", async () => {
    const user = userEvent.setup();
    const client = new FakeChatClient();
    client.history.set('CH1', { items: [message('CH1', 0, 'mine', 'alice'), message('CH1', 1, 'theirs', 'bob')], hasPrevPage: false });
    const host = new FakeHostApi([{ name: 'general', sid: 'CH1' }, { name: 'random', sid: 'CH2' }]);
    client.rooms = [{ sid: 'CH1', name: 'general', kind: 'room', members: [] }];
    render(<App services={services(client, { createHostApi: vi.fn(() => host) })} />);
    await signInAs(user, 'alice');

    await user.click(await screen.findByRole('button', { name: 'general' }));
    await screen.findByText('mine');
    const items = within(screen.getByRole('log')).getAllByRole('listitem');
    expect(within(items[0] as HTMLElement).getByRole('button', { name: 'Edit message' })).toBeInTheDocument();
    expect(within(items[1] as HTMLElement).queryByRole('button', { name: 'Edit message' })).not.toBeInTheDocument();

    act(() => host.source.sendRooms([{ name: 'general', sid: 'CH1' }, { name: 'random', sid: 'CH2' }]));
    await user.click(screen.getByRole('button', { name: 'Join random' }));
    expect(host.joinRoom).toHaveBeenCalledWith('random');
  });

  it('shows a readable error when sign-in fails', async () => {
    const user = userEvent.setup();
    const fakes = services(new FakeChatClient(), {
      signIn: vi.fn(async () => {
        throw new ApiError('The username or the password is wrong.', 401);
      }),
    });
    render(<App services={fakes} />);

    await signInAs(user, 'alice', 'wrong');

    expect(await screen.findByRole('alert')).toHaveTextContent('The username or the password is wrong.');
    expect(screen.getByLabelText('Username')).toHaveValue('alice');
    expect(screen.queryByRole('button', { name: 'Sign out' })).not.toBeInTheDocument();
  });

  it('signs in with a passkey', async () => {
    const user = userEvent.setup();
    const fakes = services(new FakeChatClient());
    render(<App services={fakes} />);

    await user.click(await screen.findByRole('button', { name: 'Sign in with a passkey' }));

    expect(await screen.findByText('Username: passkey-user')).toBeInTheDocument();
    expect(fakes.passkeys.signIn).toHaveBeenCalledWith(webAuthn);
  });

  it('offers no passkeys where the browser has no WebAuthn', async () => {
    render(<App services={services(new FakeChatClient(), { webAuthn: { ...webAuthn, isSupported: () => false } })} />);

    expect(await screen.findByLabelText('Password')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sign in with a passkey' })).not.toBeInTheDocument();
  });

  it('lists, adds and removes passkeys of the signed-in user', async () => {
    const user = userEvent.setup();
    const fakes = services(new FakeChatClient());
    render(<App services={fakes} />);
    await signInAs(user, 'alice');

    await user.click(await screen.findByRole('button', { name: 'Passkeys' }));
    const panel = screen.getByRole('region', { name: 'Passkeys' });
    expect(await within(panel).findByText('Passkey 1')).toBeInTheDocument();

    await user.click(within(panel).getByRole('button', { name: 'Add a passkey' }));
    expect(await within(panel).findByRole('status')).toHaveTextContent('Added Passkey 2.');
    expect(fakes.passkeys.add).toHaveBeenCalledWith(webAuthn);

    await user.click(within(panel).getByRole('button', { name: 'Remove passkey Passkey 1' }));
    expect(fakes.passkeys.remove).toHaveBeenCalledWith('pk1');
    expect(await within(panel).findByRole('status')).toHaveTextContent('Removed Passkey 1.');
  });

  it('signs out: ends the session on the host and shuts the chat client down', async () => {
    const user = userEvent.setup();
    const client = new FakeChatClient();
    const fakes = services(client);
    render(<App services={fakes} />);
    await signInAs(user, 'alice');
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));

    expect(await screen.findByLabelText('Username')).toBeInTheDocument();
    expect(client.shutdown).toHaveBeenCalledOnce();
    expect(fakes.signOut).toHaveBeenCalledOnce();
    expect(screen.queryByText('Username: alice')).not.toBeInTheDocument();
  });

  it('refreshes the token before it expires and hands it to the client', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldAdvanceTime: true });
    const now = Date.parse('2026-11-25T06:00:00Z');
    vi.setSystemTime(now);
    const client = new FakeChatClient();
    const fakes = services(client, {
      signIn: vi.fn(async () => session({ expiresAt: new Date(now + 10 * 60_000).toISOString() })),
      refreshToken: vi.fn(async () => ({ token: 'token-2', expiresAt: new Date(now + 20 * 60_000).toISOString() })),
    });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render(<App services={fakes} />);
    await signInAs(user, 'alice');
    await screen.findByText('Username: alice');

    // Ten minutes of life: the refresh runs a minute (a tenth) before expiry, not earlier.
    await act(async () => vi.advanceTimersByTimeAsync(8 * 60_000));
    expect(fakes.refreshToken).not.toHaveBeenCalled();
    await act(async () => vi.advanceTimersByTimeAsync(60_000 + 1_000));
    expect(fakes.refreshToken).toHaveBeenCalledOnce();
    expect(client.updateToken).toHaveBeenCalledExactlyOnceWith('token-2');

    // And the next refresh is scheduled from the new expiry.
    await act(async () => vi.advanceTimersByTimeAsync(10 * 60_000));
    expect(fakes.refreshToken).toHaveBeenCalledTimes(2);
  });

  it('ends the chat when renewal says the session is over', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], shouldAdvanceTime: true });
    const now = Date.parse('2026-11-25T06:00:00Z');
    vi.setSystemTime(now);
    const client = new FakeChatClient();
    const fakes = services(client, {
      signIn: vi.fn(async () => session({ expiresAt: new Date(now + 10 * 60_000).toISOString() })),
      refreshToken: vi.fn(async () => {
        throw new ApiError('Sign in first', 401);
      }),
    });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render(<App services={fakes} />);
    await signInAs(user, 'alice');
    await screen.findByText('Username: alice');

    await act(async () => vi.advanceTimersByTimeAsync(10 * 60_000));

    expect(client.shutdown).toHaveBeenCalledOnce();
    expect(screen.getByRole('status')).toHaveTextContent('Your session has ended.');
    expect(screen.getByLabelText('Username')).toBeInTheDocument();
  });

  it('renews the token at once when the chat says it is expiring or expired, and hands it to the client', async () => {
    const client = new FakeChatClient();
    const fakes = services(client, {
      signIn: vi.fn(async () => session({ expiresAt: new Date(Date.now() + 60 * 60_000).toISOString() })),
    });
    const user = userEvent.setup();
    render(<App services={fakes} />);
    await signInAs(user, 'alice');
    await screen.findByText('Username: alice');
    expect(fakes.refreshToken).not.toHaveBeenCalled();

    await act(async () => client.emit('tokenExpiring', { expired: false }));
    await waitFor(() => expect(client.updateToken).toHaveBeenCalledExactlyOnceWith('token-2'));
    await act(async () => client.emit('tokenExpiring', { expired: true }));

    await waitFor(() => expect(client.updateToken).toHaveBeenCalledTimes(2));
    expect(fakes.refreshToken).toHaveBeenCalledTimes(2);
  });

  it('signs the page out when the chat says its token expired and the session is over', async () => {
    const client = new FakeChatClient();
    const fakes = services(client, {
      signIn: vi.fn(async () => session({ expiresAt: new Date(Date.now() + 60 * 60_000).toISOString() })),
      refreshToken: vi.fn(async () => {
        throw new ApiError('Sign in first', 401);
      }),
    });
    const user = userEvent.setup();
    render(<App services={fakes} />);
    await signInAs(user, 'alice');
    await screen.findByText('Username: alice');

    await act(async () => client.emit('tokenExpiring', { expired: true }));

    expect(await screen.findByRole('status')).toHaveTextContent('Your session has ended.');
    expect(client.shutdown).toHaveBeenCalledOnce();
    expect(client.updateToken).not.toHaveBeenCalled();
  });
});

import { useCallback, useEffect, useRef, useState } from 'react';

import { PasskeyPanel, SignInPage, UserBar, useTokenRefresh, type RefreshedToken, type Session } from '@/features/auth';
import { ChatView, type ChatClient, type HostApi } from '@/features/chat';
import { ApiError } from '@/lib/api-client';

import { defaultServices, type AppServices } from './services';

type SignedIn = { session: Session; client: ChatClient; host: HostApi };

/** `checking` while the page asks whether the cookie still carries a session (after a reload). */
type State = { kind: 'checking' } | { kind: 'signed-out'; notice: string | null } | ({ kind: 'signed-in' } & SignedIn);

export function App({ services = defaultServices }: { services?: AppServices }) {
  const [state, setState] = useState<State>({ kind: 'checking' });
  const [passkeysOpen, setPasskeysOpen] = useState(false);
  const clientRef = useRef<ChatClient | null>(null);
  const passkeysSupported = services.webAuthn.isSupported();

  const enter = useCallback(
    async (session: Session) => {
      const client = await services.createChatClient({ token: session.token, sdkOptions: session.chatClientOptions });
      clientRef.current = client;
      setState({ kind: 'signed-in', session, client, host: services.createHostApi() });
      // The banner shows connecting / offline; the chat loads once connected.
      client.connect().catch(() => undefined);
    },
    [services],
  );

  // A reload keeps the session: the cookie is still there, so ask the host for its rooms and token.
  useEffect(() => {
    let cancelled = false;
    services
      .resumeSession()
      .then((session) => (cancelled ? undefined : enter(session)))
      .catch(() => {
        if (!cancelled) setState({ kind: 'signed-out', notice: null });
      });
    return () => {
      cancelled = true;
    };
  }, [services, enter]);

  /** Shuts the chat connection down. */
  const disconnect = useCallback(() => {
    const client = clientRef.current;
    clientRef.current = null;
    void client?.shutdown().catch(() => undefined);
  }, []);

  /** Shows the sign-in page; `notice` says why when the host ended the session. */
  const leave = useCallback(
    (notice: string | null) => {
      disconnect();
      setPasskeysOpen(false);
      setState({ kind: 'signed-out', notice });
    },
    [disconnect],
  );

  const handleSignOut = useCallback(async () => {
    disconnect();
    // The sign-in form appears once the host has ended the session: a sign-in before that would carry the old
    // user's antiforgery token.
    await services.signOut().catch(() => undefined);
    leave(null);
  }, [disconnect, leave, services]);

  // Leaving the page closes the connection too (the session stays, for the next visit).
  useEffect(() => {
    const onUnload = () => void clientRef.current?.shutdown().catch(() => undefined);
    window.addEventListener('pagehide', onUnload);
    return () => window.removeEventListener('pagehide', onUnload);
  }, []);

  const onRefreshed = useCallback(async (refreshed: RefreshedToken) => {
    const client = clientRef.current;
    if (!client) return;
    await client.updateToken(refreshed.token);
    setState((current) =>
      current.kind === 'signed-in' && current.client === client
        ? { ...current, session: { ...current.session, token: refreshed.token, expiresAt: refreshed.expiresAt } }
        : current,
    );
  }, []);

  const signedIn = state.kind === 'signed-in' ? state : null;
  const renewToken = useTokenRefresh({
    token: signedIn?.session.token ?? null,
    expiresAt: signedIn?.session.expiresAt ?? null,
    refresh: services.refreshToken,
    onRefreshed,
    onError: (error) => {
      // 401: the session is over (signed out elsewhere, or expired): the token must not outlive it.
      if (error instanceof ApiError && error.status === 401) leave('Your session has ended. Please sign in again.');
      else console.warn('Token refresh failed; retrying.', error);
    },
  });

  // The chat SDK asks for a token sooner than the schedule when the back end says so (after a sign-out elsewhere, the
  // emulator closes the connection as expired): renew now; a session that is over signs the page out.
  const chatClient = signedIn?.client ?? null;
  useEffect(() => chatClient?.on('tokenExpiring', () => renewToken()), [chatClient, renewToken]);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Chat rooms</h1>
        {signedIn && (
          <UserBar
            identity={signedIn.session.identity}
            onSignOut={() => void handleSignOut()}
            passkeysOpen={passkeysOpen}
            onTogglePasskeys={passkeysSupported ? () => setPasskeysOpen((open) => !open) : undefined}
          />
        )}
      </header>
      {signedIn && passkeysOpen && <PasskeyPanel passkeys={services.passkeys} webAuthn={services.webAuthn} />}
      {signedIn ? (
        <ChatView
          key={signedIn.session.identity}
          client={signedIn.client}
          identity={signedIn.session.identity}
          host={signedIn.host}
          initialRooms={signedIn.session.rooms}
        />
      ) : state.kind === 'signed-out' ? (
        <main className="login-page">
          <SignInPage
            notice={state.notice}
            onSignIn={async (username, password) => enter(await services.signIn(username, password))}
            onCreateAccount={async (username, password) => enter(await services.createAccount(username, password))}
            onPasskeySignIn={passkeysSupported ? async () => enter(await services.passkeys.signIn(services.webAuthn)) : undefined}
          />
        </main>
      ) : (
        <main className="login-page">
          <p className="muted">Loading…</p>
        </main>
      )}
    </div>
  );
}

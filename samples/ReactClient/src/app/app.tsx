import { useCallback, useEffect, useRef, useState } from 'react';

import { LoginForm, UserBar, useTokenRefresh, type RefreshedToken, type Session } from '@/features/auth';
import { ChatView } from '@/features/chat';
import type { HostApi } from '@/lib/api-client';
import type { ChatClient } from '@/lib/chat-client';

import { defaultServices, type AppServices } from './services';

type SignedIn = { session: Session; client: ChatClient; host: HostApi };

export function App({ services = defaultServices }: { services?: AppServices }) {
  const [signedIn, setSignedIn] = useState<SignedIn | null>(null);
  const clientRef = useRef<ChatClient | null>(null);
  /** The current access token, for the host calls that need it as Bearer. */
  const tokenRef = useRef('');

  const handleLogin = useCallback(
    async (username: string) => {
      const session = await services.login(username);
      const client = await services.createChatClient({
        backend: session.backend,
        token: session.token,
        emulatorHubUrl: session.emulatorHubUrl,
      });
      clientRef.current = client;
      tokenRef.current = session.token;
      const host = services.createHostApi({ getToken: () => tokenRef.current });
      setSignedIn({ session, client, host });
      // The banner shows connecting / offline; the chat loads once connected.
      client.connect().catch(() => undefined);
    },
    [services],
  );

  const handleLogout = useCallback(() => {
    const client = clientRef.current;
    clientRef.current = null;
    setSignedIn(null);
    void client?.shutdown().catch(() => undefined);
  }, []);

  // Leaving the page closes the connection too.
  useEffect(() => {
    const onUnload = () => void clientRef.current?.shutdown().catch(() => undefined);
    window.addEventListener('pagehide', onUnload);
    return () => window.removeEventListener('pagehide', onUnload);
  }, []);

  const onRefreshed = useCallback(async (refreshed: RefreshedToken) => {
    const client = clientRef.current;
    if (!client) return;
    await client.updateToken(refreshed.token);
    tokenRef.current = refreshed.token;
    setSignedIn((current) =>
      current && current.client === client
        ? { ...current, session: { ...current.session, token: refreshed.token, expiresAt: refreshed.expiresAt } }
        : current,
    );
  }, []);

  useTokenRefresh({
    token: signedIn?.session.token ?? null,
    expiresAt: signedIn?.session.expiresAt ?? null,
    refresh: services.refreshToken,
    onRefreshed,
    onError: (error) => console.warn('Token refresh failed; retrying.', error),
  });

  return (
    <div className="app">
      <header className="app-header">
        <h1>Chat rooms</h1>
        {signedIn && <UserBar identity={signedIn.session.identity} onLogout={handleLogout} />}
      </header>
      {signedIn ? (
        <ChatView
          key={signedIn.session.identity}
          client={signedIn.client}
          identity={signedIn.session.identity}
          host={signedIn.host}
          initialRooms={signedIn.session.rooms}
        />
      ) : (
        <main className="login-page">
          <LoginForm onLogin={handleLogin} />
        </main>
      )}
    </div>
  );
}

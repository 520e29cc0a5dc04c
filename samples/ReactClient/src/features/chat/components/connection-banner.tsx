import type { ConnectionState } from '../types';

const texts: Record<ConnectionState, string | null> = {
  connecting: 'Connecting…',
  connected: null,
  reconnecting: 'Connection lost. Reconnecting…',
  disconnected: 'Offline. Messages cannot be sent or received.',
};

/** Always rendered, so screen readers announce each change of the live region. */
export function ConnectionBanner({ state }: { state: ConnectionState }) {
  const text = texts[state];
  return (
    <div role="status" aria-label="Connection" className={text ? `connection-banner connection-banner--${state}` : 'connection-banner-idle'}>
      {text}
    </div>
  );
}

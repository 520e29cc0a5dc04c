import { useSyncExternalStore } from 'react';

import type { ChatClient, ConnectionState } from '../types';

export function useConnectionState(client: ChatClient): ConnectionState {
  return useSyncExternalStore(
    (notify) => client.onConnectionStateChanged(notify),
    () => client.connectionState,
  );
}

import { useSyncExternalStore } from 'react';

import type { ChatClient, ConnectionState } from '@/lib/chat-client';

export function useConnectionState(client: ChatClient): ConnectionState {
  return useSyncExternalStore(
    (notify) => client.onConnectionStateChanged(notify),
    () => client.connectionState,
  );
}

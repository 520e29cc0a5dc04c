import { useEffect, useRef, useState } from 'react';

import type { ChatClient } from '@/lib/chat-client';

function pageVisible(): boolean {
  return typeof document === 'undefined' || document.visibilityState !== 'hidden';
}

/**
 * Unread messages per room from the read horizon. Loads each room's count once connected (null: the user has read
 * nothing there yet, so no count is shown); a message from someone else in a room that is not being read adds one;
 * reading a room (selecting it, or new messages while it is selected and the page visible) moves the read horizon
 * on the server, so the count is right after a reload and on another device.
 */
export function useUnreadCounts(
  client: ChatClient,
  roomSids: readonly string[],
  selectedSid: string | null,
  connected: boolean,
  identity: string,
): Record<string, number | null> {
  const [counts, setCounts] = useState<Record<string, number | null>>({});
  const loaded = useRef(new Set<string>());
  const selected = useRef(selectedSid);
  selected.current = selectedSid;

  // After a reconnect every count is read again.
  useEffect(() => {
    if (!connected) loaded.current.clear();
  }, [connected]);

  const key = roomSids.join(',');
  useEffect(() => {
    if (!connected) return;
    for (const sid of key ? key.split(',') : []) {
      if (loaded.current.has(sid)) continue;
      loaded.current.add(sid);
      client.getUnreadCount(sid).then(
        (count) => {
          if (sid !== selected.current) setCounts((current) => ({ ...current, [sid]: count }));
        },
        () => loaded.current.delete(sid),
      );
    }
  }, [client, key, connected]);

  // Reading the selected room.
  useEffect(() => {
    if (!selectedSid || !connected) return undefined;
    const markRead = () => {
      setCounts((current) => (current[selectedSid] ? { ...current, [selectedSid]: 0 } : current));
      client.setAllMessagesRead(selectedSid).catch(() => undefined);
    };
    if (pageVisible()) markRead();
    const onVisibility = () => {
      if (pageVisible()) markRead();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [client, selectedSid, connected]);

  useEffect(
    () =>
      client.onMessageAdded((message) => {
        const sid = message.roomSid;
        if (sid === selected.current && pageVisible()) {
          client.setAllMessagesRead(sid).catch(() => undefined);
          return;
        }
        if (message.author === identity) return;
        setCounts((current) => ({ ...current, [sid]: (current[sid] ?? 0) + 1 }));
      }),
    [client, identity],
  );

  return counts;
}

import { useCallback, useEffect, useRef, useState } from 'react';

import type { ChatClient, ReadHorizon } from '../types';

function pageVisible(): boolean {
  return typeof document === 'undefined' || document.visibilityState !== 'hidden';
}

/** The later of two indexes, either of which may be missing. */
function later(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined) return b ?? null;
  if (b === null || b === undefined) return a;
  return Math.max(a, b);
}

/** A room's horizon as this page knows it, with the first message that arrived live (for a room never read). */
interface Known extends ReadHorizon {
  firstLiveIndex: number | null;
}

function merge(current: Known | undefined, seen: Partial<Known>): Known {
  return {
    lastReadIndex: later(current?.lastReadIndex, seen.lastReadIndex),
    lastMessageIndex: later(current?.lastMessageIndex, seen.lastMessageIndex),
    firstLiveIndex: current?.firstLiveIndex ?? seen.firstLiveIndex ?? null,
  };
}

function unreadOf(known: Known): number | null {
  const last = known.lastMessageIndex ?? -1;
  if (known.lastReadIndex !== null) return Math.max(0, last - known.lastReadIndex);
  // Never read: count from the first message that arrived while the room was not being read, if any.
  return known.firstLiveIndex === null ? null : Math.max(0, last - known.firstLiveIndex + 1);
}

/**
 * Unread messages per room: the messages after the user's read horizon, as Twilio counts them (deleted ones aside).
 * The horizon and the room's last index are read from the SDK once connected, and both only move forward (a live
 * message raises the last index, reading raises the horizon), so the order in which the load and live messages arrive
 * does not change the count. A room where the user has read nothing yet shows no count until a message arrives while
 * it is not being read, then counts from that message. Reading a room (selecting it, or new messages while it is selected and the page visible) moves
 * the horizon on the server too, up to the last message known here and no further, so the count is right after a reload
 * and on another device, even when the request runs after more messages arrived.
 */
export function useUnreadCounts(
  client: ChatClient,
  roomSids: readonly string[],
  selectedSid: string | null,
  connected: boolean,
  /** The index of the last message shown in the selected room, once its log has loaded. */
  lastShownIndex: number | null = null,
): Record<string, number | null> {
  const [horizons, setHorizons] = useState<Record<string, Known>>({});
  const latest = useRef(horizons);
  latest.current = horizons;
  const loaded = useRef(new Set<string>());
  const selected = useRef(selectedSid);
  selected.current = selectedSid;

  const see = useCallback(
    (sid: string, seen: Partial<Known>) => setHorizons((current) => ({ ...current, [sid]: merge(current[sid], seen) })),
    [],
  );

  /** The user has seen `index` in the room: read up to it, here and on the server (only forward, as Twilio's). */
  const readUpTo = useCallback(
    (sid: string, index: number) => {
      see(sid, { lastReadIndex: index, lastMessageIndex: index });
      client.markReadUpTo(sid, index).catch(() => undefined);
    },
    [client, see],
  );

  // After a reconnect every horizon is read again.
  useEffect(() => {
    if (!connected) loaded.current.clear();
  }, [connected]);

  const key = roomSids.join(',');
  useEffect(() => {
    if (!connected) return;
    for (const sid of key ? key.split(',') : []) {
      if (loaded.current.has(sid)) continue;
      loaded.current.add(sid);
      client.getReadHorizon(sid).then(
        (horizon) => {
          see(sid, horizon);
          // The room being read: what it holds is read.
          if (sid === selected.current && pageVisible() && horizon.lastMessageIndex !== null) readUpTo(sid, horizon.lastMessageIndex);
        },
        () => loaded.current.delete(sid),
      );
    }
  }, [client, key, connected, see, readUpTo]);

  // Reading the selected room: everything known in it is read.
  useEffect(() => {
    if (!selectedSid || !connected) return undefined;
    // Up to the last message known here (shown once the room opens), not the newest on the server; a room whose
    // horizon is still loading is read when it loads (above).
    const markRead = () => {
      const last = latest.current[selectedSid]?.lastMessageIndex;
      if (last !== null && last !== undefined) readUpTo(selectedSid, last);
    };
    if (pageVisible()) markRead();
    const onVisibility = () => {
      if (pageVisible()) markRead();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [selectedSid, connected, readUpTo]);

  // What the log shows is read, even while the room's horizon is still loading: the user may leave before it loads.
  useEffect(() => {
    if (!selectedSid || !connected || lastShownIndex === null || !pageVisible()) return;
    readUpTo(selectedSid, lastShownIndex);
  }, [selectedSid, connected, lastShownIndex, readUpTo]);

  // Read on another device, or a room's newest message as the SDK learns it (also when the horizon was loaded before
  // the SDK had the room's state): the counts follow. The selected room's newest message is left to messageAdded,
  // which reads it.
  useEffect(
    () =>
      client.on('readHorizonUpdated', ({ roomSid, lastReadIndex, lastMessageIndex }) => {
        const reading = roomSid === selected.current && pageVisible();
        see(roomSid, reading ? { lastReadIndex } : { lastReadIndex, lastMessageIndex });
      }),
    [client, see],
  );

  useEffect(
    () =>
      client.onMessageAdded((message) => {
        const sid = message.roomSid;
        if (sid === selected.current && pageVisible()) {
          readUpTo(sid, message.index);
          return;
        }
        see(sid, { lastMessageIndex: message.index, firstLiveIndex: message.index });
      }),
    [client, see, readUpTo],
  );

  const counts: Record<string, number | null> = {};
  for (const [sid, horizon] of Object.entries(horizons)) counts[sid] = unreadOf(horizon);
  return counts;
}

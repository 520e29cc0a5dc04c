import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import type { ChatClient } from '../types';

/** How often at most the client tells the back end that the user is typing (it ends typing after 5 s of quiet). */
const typingThrottleMs = 2_000;
/** A typer whose typingEnded never came (a lost connection) is dropped after this long. */
export const typingStaleMs = 10_000;

/** Who else is typing in the room, in the order they started. */
export function useTypers(client: ChatClient, roomSid: string | null, identity: string): string[] {
  const [typers, setTypers] = useState<{ roomSid: string | null; identities: string[] }>({ roomSid, identities: [] });

  useEffect(() => {
    setTypers({ roomSid, identities: [] });
    if (!roomSid) return undefined;
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    const drop = (who: string) => {
      clearTimeout(timers.get(who));
      timers.delete(who);
      setTypers((current) =>
        current.roomSid === roomSid && current.identities.includes(who)
          ? { roomSid, identities: current.identities.filter((i) => i !== who) }
          : current,
      );
    };
    const unsubscribe = [
      client.on('typingStarted', (typing) => {
        if (typing.roomSid !== roomSid || typing.identity === identity) return;
        clearTimeout(timers.get(typing.identity));
        timers.set(typing.identity, setTimeout(() => drop(typing.identity), typingStaleMs));
        setTypers((current) =>
          current.roomSid !== roomSid || current.identities.includes(typing.identity)
            ? current
            : { roomSid, identities: [...current.identities, typing.identity] },
        );
      }),
      client.on('typingEnded', (typing) => {
        if (typing.roomSid === roomSid) drop(typing.identity);
      }),
      // Whoever sent a message has stopped typing it.
      client.onMessageAdded((message) => {
        if (message.roomSid === roomSid && message.author) drop(message.author);
      }),
    ];
    return () => {
      for (const off of unsubscribe) off();
      for (const timer of timers.values()) clearTimeout(timer);
    };
  }, [client, roomSid, identity]);

  return typers.roomSid === roomSid ? typers.identities : [];
}

/** "alice is typing…", "alice and bob are typing…", "3 people are typing…", or nothing. */
export function typingText(identities: readonly string[]): string {
  const [first, second] = identities;
  if (first === undefined) return '';
  if (second === undefined) return `${first} is typing…`;
  if (identities.length === 2) return `${first} and ${second} are typing…`;
  return `${identities.length} people are typing…`;
}

export type TypingSignal = {
  /** For every keystroke: tells the back end at most once per `typingThrottleMs` and room. */
  typed: () => void;
  /** After a send: the back end ended the typing, so the next keystroke tells it again at once. */
  sent: () => void;
};

export function useTypingSignal(client: ChatClient, roomSid: string | null): TypingSignal {
  const last = useRef<{ roomSid: string | null; at: number }>({ roomSid: null, at: 0 });
  const typed = useCallback(() => {
    if (!roomSid) return;
    const now = Date.now();
    if (last.current.roomSid === roomSid && now - last.current.at < typingThrottleMs) return;
    last.current = { roomSid, at: now };
    // Typing is a hint: a failure is not worth telling the user about.
    client.typing(roomSid).catch(() => undefined);
  }, [client, roomSid]);
  const sent = useCallback(() => {
    last.current = { roomSid: null, at: 0 };
  }, []);
  return useMemo(() => ({ typed, sent }), [typed, sent]);
}

// "Seen by": who has read a message, from the participants' read horizons (Twilio's read receipts for chat).
import type { ChatMember, ChatMessage } from './types';

/**
 * The identities, sorted, of the room's other chat members whose read horizon has reached the message. Twilio keeps
 * one horizon per participant (`lastReadMessageIndex`): whoever read a later message has read this one too.
 */
export function seenBy(message: ChatMessage, members: readonly ChatMember[], identity: string): string[] {
  return members
    .flatMap(({ roomSid, kind, identity: who, lastReadIndex }) =>
      roomSid === message.roomSid && kind === 'chat' && who !== null && who !== identity && who !== message.author
        && lastReadIndex !== null && lastReadIndex >= message.index
        ? [who]
        : [],
    )
    .sort((a, b) => a.localeCompare(b));
}

/** The line shown under the user's own message; null when nobody else has read it yet. */
export function seenByText(names: readonly string[]): string | null {
  return names.length === 0 ? null : `Seen by ${names.join(', ')}`;
}

// The SDK's objects as the chat seam's plain values (features/chat/types.ts).
import type { Conversation, Message, Participant } from '@twilio/conversations';

import { readReactions } from '../reactions';
import { readRoomKind } from '../rooms';
import { type ChatMessage, type ChatRoom } from '../types';

export function toMessage(message: Message, edited?: boolean): ChatMessage {
  const created = message.dateCreated;
  const updated = message.dateUpdated;
  const media = message.attachedMedia ?? [];
  return {
    sid: message.sid,
    index: message.index,
    roomSid: message.conversation.sid,
    author: message.author,
    body: message.body,
    dateCreated: created ? created.toISOString() : null,
    edited: edited ?? (!!created && !!updated && updated.getTime() > created.getTime()),
    reactions: readReactions(message.attributes),
    // Only a message with files has attachments.
    ...(media.length > 0 && {
      attachments: media.map((file) => ({ sid: file.sid, filename: file.filename, contentType: file.contentType, size: file.size })),
    }),
  };
}

export function toRoom(conversation: Conversation): ChatRoom {
  return {
    sid: conversation.sid,
    name: conversation.friendlyName ?? conversation.uniqueName ?? conversation.sid,
    ...readRoomKind(conversation.attributes),
  };
}

/** The SMS number of a participant: `bindings.sms.address` (the SDK types only the email binding). */
export function smsAddress(participant: Participant): string | null {
  const bindings: unknown = participant.bindings;
  if (typeof bindings !== 'object' || bindings === null) return null;
  const sms: unknown = (bindings as Record<string, unknown>).sms;
  if (typeof sms !== 'object' || sms === null) return null;
  const address: unknown = (sms as Record<string, unknown>).address;
  return typeof address === 'string' ? address : null;
}

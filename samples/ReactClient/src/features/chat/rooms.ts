// What the chat makes of its own data: message lists merged by index, a room's kind and the name it is shown by.
import { isRecord } from '@/lib/values';

import type { ChatMessage, ChatRoom, RoomKind } from './types';

/** Merges message lists by index: no loss, no doubles, ascending. A later copy of an index wins. */
export function mergeByIndex(...lists: readonly (readonly ChatMessage[])[]): ChatMessage[] {
  const byIndex = new Map<number, ChatMessage>();
  for (const list of lists) for (const message of list) byIndex.set(message.index, message);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/**
 * Reads a conversation's kind from its attributes: `{"chatrooms":{"kind":"private","members":[...]}}` marks a
 * private conversation, `{"chatrooms":{"kind":"group"}}` a group. Accepts the parsed object (as the SDK gives it) or a JSON string.
 */
export function readRoomKind(attributes: unknown): { kind: RoomKind; members: string[] } {
  let value = attributes;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      value = undefined;
    }
  }
  const chatrooms = isRecord(value) ? value.chatrooms : undefined;
  if (isRecord(chatrooms) && chatrooms.kind === 'private') {
    const members = Array.isArray(chatrooms.members)
      ? chatrooms.members.filter((m): m is string => typeof m === 'string')
      : [];
    return { kind: 'private', members };
  }
  if (isRecord(chatrooms) && chatrooms.kind === 'group') return { kind: 'group', members: [] };
  return { kind: 'room', members: [] };
}

/** How a room is named to this user: a private conversation by its other member, a room or a group by its name. */
export function roomDisplayName(room: ChatRoom, identity: string): string {
  if (room.kind !== 'private') return room.name;
  const others = room.members.filter((m) => m !== identity);
  return others.length > 0 ? others.join(', ') : room.name;
}

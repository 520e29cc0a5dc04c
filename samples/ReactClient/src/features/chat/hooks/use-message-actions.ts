import { useCallback } from 'react';

import type { ReactionKey } from '../reactions';
import type { ChatClient, ChatMessage } from '../types';

export type MessageActions = {
  send: (body: string) => Promise<void>;
  sendFiles: (files: File[], body: string) => Promise<void>;
  attachmentUrl: (message: ChatMessage, attachmentSid: string) => Promise<string>;
  edit: (message: ChatMessage, body: string) => Promise<void>;
  remove: (message: ChatMessage) => Promise<void>;
  react: (message: ChatMessage, reaction: ReactionKey, chosen: boolean) => Promise<void>;
};

/**
 * Sending, editing, deleting and reacting in the open room. Nothing is added to the log here: every change comes back through
 * the client's events, like everybody else's, so there is one code path for showing it.
 */
export function useMessageActions(
  client: ChatClient,
  roomSid: string | null,
  { sent, removed }: { sent: () => void; removed: () => void },
): MessageActions {
  const send = useCallback(
    async (body: string) => {
      if (!roomSid) throw new Error('Choose a room first.');
      await client.sendMessage(roomSid, body);
      sent();
    },
    [client, roomSid, sent],
  );
  const sendFiles = useCallback(
    async (files: File[], body: string) => {
      if (!roomSid) throw new Error('Choose a room first.');
      await client.sendFiles(roomSid, files, body);
      sent();
    },
    [client, roomSid, sent],
  );
  const attachmentUrl = useCallback(
    (message: ChatMessage, attachmentSid: string) => client.getAttachmentUrl(message.roomSid, message.index, attachmentSid),
    [client],
  );
  const edit = useCallback(
    (message: ChatMessage, body: string) => client.updateMessage(message.roomSid, message.index, body),
    [client],
  );
  const remove = useCallback(
    async (message: ChatMessage) => {
      await client.removeMessage(message.roomSid, message.index);
      removed();
    },
    [client, removed],
  );
  const react = useCallback(
    (message: ChatMessage, reaction: ReactionKey, chosen: boolean) => client.setReaction(message.roomSid, message.index, reaction, chosen),
    [client],
  );
  return { send, sendFiles, attachmentUrl, edit, remove, react };
}

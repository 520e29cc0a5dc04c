import { useLayoutEffect, useRef } from 'react';

import type { ReactionKey } from '../reactions';
import { seenBy } from '../read-receipts';
import type { ChatMember, ChatMessage } from '../types';
import { MessageItem } from './message-item';

export type MessageLogProps = {
  roomName: string;
  messages: ChatMessage[];
  hasPrevPage: boolean;
  loading: boolean;
  loadingOlder: boolean;
  error: string | null;
  onLoadOlder: () => void;
  /** The user's identity: their own messages get Edit and Delete. */
  identity?: string;
  onEdit?: (message: ChatMessage, body: string) => Promise<void>;
  onDelete?: (message: ChatMessage) => Promise<void>;
  onReact?: (message: ChatMessage, reaction: ReactionKey, chosen: boolean) => Promise<void>;
  /** A fresh URL of an attachment's bytes. */
  onAttachmentUrl?: (message: ChatMessage, attachmentSid: string) => Promise<string>;
  /** The room's members with their read horizons: the user's own messages show who has seen them. */
  members?: readonly ChatMember[];
};

const refuse = async () => {
  throw new Error('Not possible here.');
};

/** How close to the bottom (px) still counts as reading the newest messages. */
const bottomSlack = 48;

export function MessageLog({
  roomName,
  messages,
  hasPrevPage,
  loading,
  loadingOlder,
  error,
  onLoadOlder,
  identity,
  onEdit = refuse,
  onDelete = refuse,
  onReact = refuse,
  onAttachmentUrl = refuse,
  members = [],
}: MessageLogProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const previous = useRef({ first: -1, last: -1, scrollHeight: 0 });

  const first = messages[0]?.index ?? -1;
  const last = messages[messages.length - 1]?.index ?? -1;

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const before = previous.current;
    if (last !== before.last && atBottom.current) {
      // New messages at the end: follow them only while the reader is at the bottom.
      element.scrollTop = element.scrollHeight;
    } else if (first !== before.first && last === before.last && before.scrollHeight > 0) {
      // Older messages were put on top: keep what the reader was looking at in place.
      element.scrollTop += element.scrollHeight - before.scrollHeight;
    }
    previous.current = { first, last, scrollHeight: element.scrollHeight };
  }, [first, last]);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight <= bottomSlack;
    previous.current.scrollHeight = element.scrollHeight;
    if (element.scrollTop <= 0 && hasPrevPage && !loadingOlder) onLoadOlder();
  };

  return (
    <div className="message-log" ref={scroller} onScroll={onScroll}>
      {hasPrevPage && (
        <button type="button" className="load-older" onClick={onLoadOlder} disabled={loadingOlder}>
          {loadingOlder ? 'Loading older messages…' : 'Load older messages'}
        </button>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div role="log" aria-label={`Messages in ${roomName}`} aria-live="polite" aria-busy={loading}>
        <ol className="messages">
          {messages.map((message) => (
            <MessageItem
              key={message.index}
              message={message}
              own={!!identity && message.author === identity}
              identity={identity}
              onEdit={onEdit}
              onDelete={onDelete}
              onReact={onReact}
              onAttachmentUrl={onAttachmentUrl}
              seenBy={identity && message.author === identity ? seenBy(message, members, identity) : undefined}
            />
          ))}
        </ol>
      </div>
      {loading && <p className="muted">Loading messages…</p>}
      {!loading && !error && messages.length === 0 && <p className="muted">No messages yet. Say hello!</p>}
    </div>
  );
}

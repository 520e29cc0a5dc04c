import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

import { errorMessage } from '@/lib/values';

import type { ReactionKey } from '../reactions';
import { seenByText } from '../read-receipts';
import { type ChatMessage } from '../types';
import { ReactionBar } from './reaction-bar';
import { MessageAttachments } from './message-attachments';

export type MessageItemProps = {
  message: ChatMessage;
  /** The author is the user: they may edit and delete it. */
  own: boolean;
  onEdit: (message: ChatMessage, body: string) => Promise<void>;
  onDelete: (message: ChatMessage) => Promise<void>;
  /** The user's identity: which reactions are theirs. Without it, reactions are shown and not offered. */
  identity?: string;
  onReact: (message: ChatMessage, reaction: ReactionKey, chosen: boolean) => Promise<void>;
  /** A fresh URL of an attachment's bytes; without it, files are not shown. */
  onAttachmentUrl?: (message: ChatMessage, attachmentSid: string) => Promise<string>;
  /** Who else has read the message (shown under the user's own): "Seen by bob, carol". */
  seenBy?: readonly string[];
};

function formatTime(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

type Mode = 'view' | 'edit' | 'confirmDelete';

export function MessageItem({ message, own, identity, onEdit, onDelete, onReact, onAttachmentUrl, seenBy = [] }: MessageItemProps) {
  const seen = own ? seenByText(seenBy) : null;
  const [mode, setMode] = useState<Mode>('view');
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Deleted on the server; it leaves the list when messageRemoved arrives. */
  const [gone, setGone] = useState(false);
  const editor = useRef<HTMLTextAreaElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const cancelDelete = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (mode === 'edit') editor.current?.focus();
    // The safe choice gets the focus; deleting takes a deliberate move.
    if (mode === 'confirmDelete') cancelDelete.current?.focus();
  }, [mode]);

  const close = () => {
    setMode('view');
    setError(null);
    requestAnimationFrame(() => editButton.current?.focus());
  };

  const startEdit = () => {
    setDraft(message.body ?? '');
    setError(null);
    setMode('edit');
  };

  const save = async () => {
    const body = draft.trim();
    if (busy || !body) return;
    if (body === message.body) {
      close();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // The new body arrives through messageUpdated, for the author like for everyone.
      await onEdit(message, body);
      close();
    } catch (caught) {
      setError(`Not saved: ${errorMessage(caught, 'the message could not be changed.')}`);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      // The message goes through messageRemoved, for the author like for everyone.
      await onDelete(message);
      setGone(true);
      setMode('view');
    } catch (caught) {
      setError(`Not deleted: ${errorMessage(caught, 'the message could not be deleted.')}`);
      setMode('view');
    } finally {
      setBusy(false);
    }
  };

  const onEditorKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void save();
    }
  };

  return (
    <li className="message">
      <span className="message__author">{message.author ?? 'unknown'}</span>
      <time className="message__time" dateTime={message.dateCreated ?? undefined}>
        {formatTime(message.dateCreated)}
      </time>
      {message.edited && <span className="message__edited">(edited)</span>}
      {mode === 'edit' ? (
        <div className="message__editor">
          <textarea
            ref={editor}
            aria-label="Edit message"
            rows={2}
            value={draft}
            disabled={busy}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={onEditorKeyDown}
          />
          <button type="button" onClick={() => void save()} disabled={busy || !draft.trim()}>
            Save
          </button>
          <button type="button" onClick={close} disabled={busy}>
            Cancel
          </button>
        </div>
      ) : (
        // Text, never HTML: React escapes it.
        <p className="message__body">{message.body ?? ''}</p>
      )}
      {onAttachmentUrl && <MessageAttachments message={message} onAttachmentUrl={onAttachmentUrl} />}
      {!gone && <ReactionBar message={message} identity={identity} onReact={onReact} />}
      {seen && !gone && <p className="message__seen">{seen}</p>}
      {own && mode === 'view' && !gone && (
        <div className="message__actions">
          <button type="button" ref={editButton} onClick={startEdit}>
            Edit message
          </button>
          <button type="button" onClick={() => setMode('confirmDelete')}>
            Delete message
          </button>
        </div>
      )}
      {own && mode === 'confirmDelete' && (
        <div
          className="message__actions"
          onKeyDown={(event) => {
            if (event.key === 'Escape') close();
          }}
        >
          <span>Delete this message?</span>
          <button type="button" className="danger" onClick={() => void remove()} disabled={busy}>
            Confirm delete
          </button>
          <button type="button" ref={cancelDelete} onClick={close} disabled={busy}>
            Cancel
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </li>
  );
}

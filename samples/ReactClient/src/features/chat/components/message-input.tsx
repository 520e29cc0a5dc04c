import { forwardRef, useEffect, useRef, useState, type ClipboardEvent, type DragEvent, type FormEvent, type KeyboardEvent } from 'react';

import { errorMessage } from '@/lib/values';

import { formatSize, refusal } from '../media';

export type MessageInputProps = {
  disabled: boolean;
  onSend: (body: string) => Promise<void>;
  /** Sends the chosen files in one message, with the text as its body; without it, files cannot be attached. */
  onSendFiles?: (files: File[], body: string) => Promise<void>;
  /** Called on every change that leaves text in the box; the caller throttles. */
  onTyping?: () => void;
};

export const MessageInput = forwardRef<HTMLTextAreaElement, MessageInputProps>(function MessageInput(
  { disabled, onSend, onSendFiles, onTyping },
  ref,
) {
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  /** Enter was pressed while an earlier message was still being sent: send what is in the box once it is done. */
  const sendNext = useRef(false);

  // Checked as they are chosen (button, drop or paste), so "too large" is said before anything is uploaded.
  const attach = (chosen: File[]) => {
    if (!onSendFiles || disabled || chosen.length === 0) return;
    const next = [...files, ...chosen];
    const why = refusal(next);
    if (why) {
      setError(why);
      return;
    }
    setError(null);
    setFiles(next);
  };

  const send = async () => {
    if (disabled) return;
    if (sending) {
      sendNext.current = true;
      return;
    }
    const body = text.trim();
    if (!body && files.length === 0) return;
    setSending(true);
    setError(null);
    try {
      if (files.length > 0 && onSendFiles) {
        await onSendFiles(files, body);
        setFiles([]);
      } else {
        await onSend(body);
      }
      // Only what was sent goes: what the writer typed meanwhile stays (and goes next, if Enter was pressed).
      setText((current) => (current.trim() === body ? '' : current));
    } catch (caught) {
      // Keep the text and the files so the writer can try again; nothing typed meanwhile is sent after a failure.
      sendNext.current = false;
      setError(`Not sent: ${errorMessage(caught, 'the message could not be sent.')}`);
    } finally {
      setSending(false);
    }
  };

  useEffect(() => {
    if (sending || !sendNext.current) return;
    sendNext.current = false;
    void send();
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void send();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends; Shift+Enter makes a new line; never while an IME is composing.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  const onDrop = (event: DragEvent<HTMLFormElement>) => {
    if (!onSendFiles || event.dataTransfer.files.length === 0) return;
    event.preventDefault();
    attach([...event.dataTransfer.files]);
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    // A pasted picture (a screenshot) is attached; pasted text stays text.
    const pasted = [...event.clipboardData.files];
    if (!onSendFiles || pasted.length === 0) return;
    event.preventDefault();
    attach(pasted);
  };

  return (
    <form
      className="message-input"
      onSubmit={onSubmit}
      onDragOver={(event) => {
        if (onSendFiles && event.dataTransfer.types.includes('Files')) event.preventDefault();
      }}
      onDrop={onDrop}
    >
      <label htmlFor="message-input" className="visually-hidden">
        Message
      </label>
      <textarea
        id="message-input"
        ref={ref}
        rows={1}
        value={text}
        disabled={disabled}
        placeholder={disabled ? 'Choose a room to chat' : 'Write a message (Enter sends, Shift+Enter new line)'}
        onChange={(event) => {
          setText(event.target.value);
          if (event.target.value.trim()) onTyping?.();
        }}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'message-input-error' : undefined}
      />
      {onSendFiles && (
        <>
          <input
            ref={picker}
            id="message-files"
            type="file"
            multiple
            className="visually-hidden"
            aria-label="Attach files"
            disabled={disabled || sending}
            onChange={(event) => {
              attach([...(event.target.files ?? [])]);
              event.target.value = '';
            }}
          />
          <button type="button" disabled={disabled || sending} onClick={() => picker.current?.click()}>
            Attach
          </button>
        </>
      )}
      <button type="submit" disabled={disabled || sending || (!text.trim() && files.length === 0)}>
        Send
      </button>
      {files.length > 0 && (
        <ul className="message-input__files" aria-label="Files to send">
          {files.map((file, i) => (
            <li key={`${file.name}-${i}`}>
              {`${file.name} (${formatSize(file.size)})`}
              <button
                type="button"
                aria-label={`Remove ${file.name}`}
                disabled={sending}
                onClick={() => setFiles(files.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {sending && files.length > 0 && (
        // The SDK reports no upload progress: an indeterminate bar while the files go up.
        <progress aria-label={`Uploading ${files.length === 1 ? (files[0]?.name ?? '1 file') : `${files.length} files`}`} />
      )}
      {error && (
        <p id="message-input-error" role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
});

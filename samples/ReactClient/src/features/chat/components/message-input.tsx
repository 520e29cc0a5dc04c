import { forwardRef, useState, type FormEvent, type KeyboardEvent } from 'react';

import { errorMessage } from '@/lib/values';

export type MessageInputProps = {
  disabled: boolean;
  onSend: (body: string) => Promise<void>;
  /** Called on every change that leaves text in the box; the caller throttles. */
  onTyping?: () => void;
};

export const MessageInput = forwardRef<HTMLTextAreaElement, MessageInputProps>(function MessageInput(
  { disabled, onSend, onTyping },
  ref,
) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async () => {
    if (disabled || sending) return;
    const body = text.trim();
    if (!body) return;
    setSending(true);
    setError(null);
    try {
      await onSend(body);
      setText('');
    } catch (caught) {
      // Keep the text so the writer can try again.
      setError(`Not sent: ${errorMessage(caught, 'the message could not be sent.')}`);
    } finally {
      setSending(false);
    }
  };

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

  return (
    <form className="message-input" onSubmit={onSubmit}>
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
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'message-input-error' : undefined}
      />
      <button type="submit" disabled={disabled || sending || !text.trim()}>
        Send
      </button>
      {error && (
        <p id="message-input-error" role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
});

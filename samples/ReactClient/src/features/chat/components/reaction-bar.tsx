import { useState } from 'react';

import { errorMessage } from '@/lib/values';

import { hasReacted, REACTIONS, type ReactionKey } from '../reactions';
import { type ChatMessage } from '../types';

export type ReactionBarProps = {
  message: ChatMessage;
  /** Whose reactions are "mine"; without it the counts are shown and nothing is offered. */
  identity?: string;
  onReact: (message: ChatMessage, reaction: ReactionKey, chosen: boolean) => Promise<void>;
};

/**
 * One button per reaction under a message: one click adds the user's, a second takes it back. The count is everyone's,
 * from the message's attributes; the change shows when the message comes back updated, as everybody else's does.
 */
export function ReactionBar({ message, identity, onReact }: ReactionBarProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<ReactionKey | null>(null);

  const toggle = async (key: ReactionKey, mine: boolean) => {
    setBusy(key);
    setError(null);
    try {
      await onReact(message, key, !mine);
    } catch (caught) {
      setError(`Reaction not saved: ${errorMessage(caught, 'the message could not be changed.')}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="message__reactions" role="group" aria-label={`Reactions to ${message.author ?? 'unknown'}'s message`}>
      {REACTIONS.map(({ key, emoji, label }) => {
        const count = message.reactions[key]?.length ?? 0;
        const mine = !!identity && hasReacted(message.reactions, key, identity);
        return (
          <button
            key={key}
            type="button"
            className={mine ? 'reaction reaction--mine' : 'reaction'}
            aria-pressed={mine}
            aria-label={`${label}: ${count}`}
            disabled={!identity || busy === key}
            onClick={() => void toggle(key, mine)}
          >
            <span aria-hidden="true">{emoji}</span>
            {count > 0 && <span className="reaction__count">{count}</span>}
          </button>
        );
      })}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}

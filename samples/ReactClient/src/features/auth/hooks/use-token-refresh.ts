import { useCallback, useEffect, useRef } from 'react';

import type { RefreshedToken } from '../api/session';

export type TokenRefreshOptions = {
  token: string | null;
  expiresAt: string | null;
  /** POST /token in the session: the current token is not needed to get the next one. */
  refresh: () => Promise<RefreshedToken>;
  /** Hand the fresh token to whoever needs it (the chat client), then store it. */
  onRefreshed: (refreshed: RefreshedToken) => void | Promise<void>;
  onError?: (error: unknown) => void;
};

const retryDelayMs = 15_000;

/** How long before expiry to refresh: a tenth of the remaining lifetime, between 5 s and 2 min. */
function refreshLeadMs(remainingMs: number): number {
  return Math.min(120_000, Math.max(5_000, remainingMs / 10));
}

/**
 * Refreshes the access token before it expires (the tutorial's client died after an hour; the host's tokens live ten
 * minutes by default). Scheduled from `expiresAt`; a failed refresh is retried while the token is still valid. Returns
 * `renewNow`, for when the chat SDK asks for a token sooner (`tokenAboutToExpire`, `tokenExpired`); a renewal already
 * under way is not started twice.
 */
export function useTokenRefresh({ token, expiresAt, refresh, onRefreshed, onError }: TokenRefreshOptions): () => void {
  const callbacks = useRef({ refresh, onRefreshed, onError });
  callbacks.current = { refresh, onRefreshed, onError };
  const renewNow = useRef<() => void>(() => undefined);

  useEffect(() => {
    if (!token || !expiresAt) return undefined;
    const expiry = Date.parse(expiresAt);
    if (Number.isNaN(expiry)) return undefined;

    let cancelled = false;
    let running = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const attempt = async (): Promise<void> => {
      if (running) return;
      running = true;
      clearTimeout(timer);
      try {
        const refreshed = await callbacks.current.refresh();
        if (!cancelled) await callbacks.current.onRefreshed(refreshed);
      } catch (error) {
        if (cancelled) return;
        callbacks.current.onError?.(error);
        if (Date.now() + retryDelayMs < expiry) timer = setTimeout(() => void attempt(), retryDelayMs);
      } finally {
        running = false;
      }
    };

    const remaining = expiry - Date.now();
    const delay = Math.max(0, remaining - refreshLeadMs(remaining));
    timer = setTimeout(() => void attempt(), delay);
    renewNow.current = () => void attempt();
    return () => {
      cancelled = true;
      renewNow.current = () => undefined;
      clearTimeout(timer);
    };
  }, [token, expiresAt]);

  return useCallback(() => renewNow.current(), []);
}

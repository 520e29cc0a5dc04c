import { useCallback, useEffect, useState } from 'react';

import { errorMessage } from '@/lib/values';

import type { Passkey, PasskeyApi, WebAuthn } from '../api/passkeys';

export type PasskeyPanelProps = {
  passkeys: PasskeyApi;
  webAuthn: WebAuthn;
};

/** The signed-in user's passkeys: add one (this device's authenticator), remove any. */
export function PasskeyPanel({ passkeys, webAuthn }: PasskeyPanelProps) {
  const [list, setList] = useState<Passkey[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    try {
      setList(await passkeys.list());
    } catch (caught) {
      setError(errorMessage(caught, 'The passkeys could not be listed.'));
    }
  }, [passkeys]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const act = async (action: () => Promise<string>, fallback: string) => {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      setStatus(await action());
      await reload();
    } catch (caught) {
      setError(errorMessage(caught, fallback));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="passkey-panel" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      <p className="muted">Sign in with this device's screen lock or security key instead of your password.</p>
      {list === null ? (
        <p className="muted">Loading…</p>
      ) : list.length === 0 ? (
        <p className="muted">No passkeys yet.</p>
      ) : (
        <ul aria-label="Your passkeys">
          {list.map((passkey) => (
            <li key={passkey.id}>
              <span>{passkey.name}</span>{' '}
              <button
                type="button"
                disabled={busy}
                onClick={() => void act(async () => (await passkeys.remove(passkey.id), `Removed ${passkey.name}.`), 'The passkey could not be removed.')}
              >
                Remove passkey {passkey.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button
        type="button"
        disabled={busy}
        onClick={() => void act(async () => `Added ${(await passkeys.add(webAuthn)).name}.`, 'The passkey could not be added.')}
      >
        Add a passkey
      </button>
      {status && <p role="status">{status}</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}

import { useId, useState, type FormEvent } from 'react';

import { ApiError } from '@/lib/api-client';
import { errorMessage } from '@/lib/values';

export type SignInPageProps = {
  onSignIn: (username: string, password: string) => Promise<void>;
  onCreateAccount: (username: string, password: string) => Promise<void>;
  /** Absent where the browser has no WebAuthn. */
  onPasskeySignIn?: () => Promise<void>;
  /** Why the user is here again, e.g. the session ended. */
  notice?: string | null;
};

/** Every message the host gave: Identity's password rules one by one, else the problem's message. */
function messagesOf(caught: unknown, fallback: string): string[] {
  if (caught instanceof ApiError) {
    const fields = Object.values(caught.fieldErrors).flat();
    if (fields.length > 0) return fields;
  }
  return [errorMessage(caught, fallback)];
}

/** Sign in (password or passkey) or create an account; one form at a time, switched by a button. */
export function SignInPage({ onSignIn, onCreateAccount, onPasskeySignIn, notice }: SignInPageProps) {
  const [creating, setCreating] = useState(false);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  const title = creating ? 'Create an account' : 'Sign in';

  const run = async (action: () => Promise<void>, fallback: string) => {
    if (busy) return;
    setBusy(true);
    setErrors([]);
    try {
      await action(); // on success this page goes away
    } catch (caught) {
      setErrors(messagesOf(caught, fallback));
      setBusy(false);
    }
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = username.trim();
    void run(
      () => (creating ? onCreateAccount(name, password) : onSignIn(name, password)),
      creating ? 'The account could not be created.' : 'Sign-in failed.',
    );
  };

  const switchForm = () => {
    setCreating(!creating);
    setErrors([]);
  };

  return (
    <section className="sign-in" aria-labelledby={`${errorId}-title`}>
      <h2 id={`${errorId}-title`}>{title}</h2>
      {notice && (
        <p role="status" className="muted">
          {notice}
        </p>
      )}
      <form className="login-form" onSubmit={submit} aria-label={title}>
        <label htmlFor="login-username">Username</label>
        <input
          id="login-username"
          name="username"
          autoComplete={creating ? 'username' : 'username webauthn'}
          autoFocus
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          aria-invalid={errors.length > 0 ? true : undefined}
          aria-describedby={errors.length > 0 ? errorId : undefined}
        />
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete={creating ? 'new-password' : 'current-password'}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-invalid={errors.length > 0 ? true : undefined}
          aria-describedby={
            [creating ? `${errorId}-hint` : '', errors.length > 0 ? errorId : ''].filter(Boolean).join(' ') || undefined
          }
        />
        {creating && (
          <p id={`${errorId}-hint`} className="muted">
            At least 8 characters, 12 or more recommended; any characters. A few unrelated words make a strong password;
            common passwords are refused.
          </p>
        )}
        <button type="submit" disabled={busy}>
          {creating ? 'Create account' : 'Sign in'}
        </button>
        {!creating && onPasskeySignIn && (
          <button type="button" disabled={busy} onClick={() => void run(onPasskeySignIn, 'Passkey sign-in failed.')}>
            Sign in with a passkey
          </button>
        )}
        {errors.length > 0 && (
          <div id={errorId} role="alert" className="error">
            {errors.length === 1 ? (
              <p>{errors[0]}</p>
            ) : (
              <ul>
                {errors.map((message) => (
                  <li key={message}>{message}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </form>
      <p className="muted">
        {creating ? 'Already have an account?' : 'New here?'}{' '}
        <button type="button" className="link-button" onClick={switchForm}>
          {creating ? 'Sign in instead' : 'Create an account'}
        </button>
      </p>
    </section>
  );
}

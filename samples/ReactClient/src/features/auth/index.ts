export { SignInPage } from './components/sign-in-page';
export { UserBar } from './components/user-bar';
export { PasskeyPanel } from './components/passkey-panel';
export { useTokenRefresh } from './hooks/use-token-refresh';
export { createAccount, refreshToken, resumeSession, signIn, signOut, type Session, type RefreshedToken } from './api/session';
export { browserWebAuthn, passkeyApi, type Passkey, type PasskeyApi, type WebAuthn } from './api/passkeys';

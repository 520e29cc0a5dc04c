import {
  browserWebAuthn,
  createAccount,
  passkeyApi,
  refreshToken,
  resumeSession,
  signIn,
  signOut,
  type PasskeyApi,
  type RefreshedToken,
  type Session,
  type WebAuthn,
} from '@/features/auth';
import {
  createChatClient,
  createHostApi,
  type ChatClient,
  type ChatClientOptions,
  type HostApi,
  type HostApiOptions,
} from '@/features/chat';

/** Everything the app talks to, so tests can hand in fakes. */
export type AppServices = {
  signIn: (username: string, password: string) => Promise<Session>;
  createAccount: (username: string, password: string) => Promise<Session>;
  /** The session the cookie already carries (after a reload), or a rejection (401) when there is none. */
  resumeSession: () => Promise<Session>;
  signOut: () => Promise<void>;
  refreshToken: () => Promise<RefreshedToken>;
  passkeys: PasskeyApi;
  webAuthn: WebAuthn;
  createChatClient: (options: ChatClientOptions) => Promise<ChatClient>;
  /** The host's room endpoints, in the session. */
  createHostApi: (options?: HostApiOptions) => HostApi;
};

export const defaultServices: AppServices = {
  signIn,
  createAccount,
  resumeSession,
  signOut,
  refreshToken,
  passkeys: passkeyApi,
  webAuthn: browserWebAuthn,
  createChatClient,
  createHostApi,
};

import { login, refreshToken, type RefreshedToken, type Session } from '@/features/auth';
import { createChatClient, type ChatClientOptions } from '@/features/chat';
import { createHostApi, type HostApi, type HostApiOptions } from '@/lib/api-client';
import type { ChatClient } from '@/lib/chat-client';

/** Everything the app talks to, so tests can hand in fakes. */
export type AppServices = {
  login: (username: string) => Promise<Session>;
  refreshToken: (currentToken: string) => Promise<RefreshedToken>;
  createChatClient: (options: ChatClientOptions) => Promise<ChatClient>;
  /** The host's room endpoints; `getToken` reads the current (refreshed) token. */
  createHostApi: (options: HostApiOptions) => HostApi;
};

export const defaultServices: AppServices = { login, refreshToken, createChatClient, createHostApi };

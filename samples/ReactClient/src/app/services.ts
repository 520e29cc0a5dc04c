import { login, refreshToken, type RefreshedToken, type Session } from '@/features/auth';
import { createChatClient, type ChatClientOptions } from '@/features/chat';
import type { ChatClient } from '@/lib/chat-client';

/** Everything the app talks to, so tests can hand in fakes. */
export type AppServices = {
  login: (username: string) => Promise<Session>;
  refreshToken: (currentToken: string) => Promise<RefreshedToken>;
  createChatClient: (options: ChatClientOptions) => Promise<ChatClient>;
};

export const defaultServices: AppServices = { login, refreshToken, createChatClient };

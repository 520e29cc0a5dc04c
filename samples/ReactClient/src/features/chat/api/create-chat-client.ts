import type { ChatClient } from '@/lib/chat-client';

import { EmulatorChatClient } from './emulator-chat-client';

export type ChatClientOptions = {
  backend: 'emulator' | 'twilio';
  token: string;
  emulatorHubUrl?: string | null;
};

/** Picks the adapter for the back end the web host named. The Twilio SDK is only downloaded in Twilio mode. */
export async function createChatClient(options: ChatClientOptions): Promise<ChatClient> {
  if (options.backend === 'twilio') {
    const { TwilioChatClient } = await import('./twilio-chat-client');
    return new TwilioChatClient({ token: options.token });
  }
  return new EmulatorChatClient({ hubUrl: options.emulatorHubUrl || '/emulator/hub', token: options.token });
}

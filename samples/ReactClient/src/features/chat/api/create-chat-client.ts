import type { ChatClient } from '../types';

/** What the chat client needs: the access token, and the SDK options the web host named (see `Session`). */
export type ChatClientOptions = {
  token: string;
  sdkOptions: { Twilsock?: { uri: string } };
};

/**
 * The one chat adapter, Twilio's own `@twilio/conversations`, on Twilio and on the emulator alike: only the address
 * the host names differs. Loaded with a dynamic import, so the SDK is a chunk of its own.
 */
export async function createChatClient(options: ChatClientOptions): Promise<ChatClient> {
  const { TwilioChatClient } = await import('./twilio-chat-client');
  return new TwilioChatClient(options);
}

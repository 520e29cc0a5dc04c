export { ChatView } from './components/chat-view';
export { createChatClient, type ChatClientOptions } from './api/create-chat-client';
export { createHostApi, type HostApi, type HostApiOptions } from './api/host-api';
export type { ChatClient } from './types';

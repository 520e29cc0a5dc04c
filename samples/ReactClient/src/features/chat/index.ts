export { ChatView } from './components/chat-view';
export { createChatClient, type ChatClientOptions } from './api/create-chat-client';

import { useCallback, useEffect, useRef, useState } from 'react';

import type { ChatClient, ChatRoom } from '@/lib/chat-client';

import { useConnectionState } from '../hooks/use-connection-state';
import { useRoomMessages } from '../hooks/use-room-messages';
import { useRooms } from '../hooks/use-rooms';
import { ConnectionBanner } from './connection-banner';
import { MessageInput } from './message-input';
import { MessageLog } from './message-log';
import { RoomsSidebar } from './rooms-sidebar';

export type ChatViewProps = {
  client: ChatClient;
  /** The rooms from the login answer, shown until the client lists them. */
  initialRooms?: ChatRoom[];
};

export function ChatView({ client, initialRooms = [] }: ChatViewProps) {
  const connectionState = useConnectionState(client);
  const connected = connectionState === 'connected';
  const rooms = useRooms(client, connected, initialRooms);
  const [selectedSid, setSelectedSid] = useState<string | null>(null);
  const room = rooms.find((r) => r.sid === selectedSid) ?? null;
  const messages = useRoomMessages(client, room?.sid ?? null, connected);
  const input = useRef<HTMLTextAreaElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // After logging in, focus lands on the chat instead of on a form that is gone.
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const selectRoom = useCallback((sid: string) => {
    setSelectedSid(sid);
    // Keyboard users land where they will type next.
    requestAnimationFrame(() => input.current?.focus());
  }, []);

  const send = useCallback(
    async (body: string) => {
      if (!room) throw new Error('Choose a room first.');
      // The message appears through messageAdded, like everybody else's: one code path.
      await client.sendMessage(room.sid, body);
    },
    [client, room],
  );

  return (
    <div className="chat-view">
      <ConnectionBanner state={connectionState} />
      <RoomsSidebar rooms={rooms} selectedSid={room?.sid ?? null} onSelect={selectRoom} />
      <main className="chat-main">
        <h2 className="chat-main__title" ref={heading} tabIndex={-1}>{room ? room.name : 'Choose a room'}</h2>
        {room ? (
          <MessageLog
            key={room.sid}
            roomName={room.name}
            messages={messages.messages}
            hasPrevPage={messages.hasPrevPage}
            loading={messages.loading}
            loadingOlder={messages.loadingOlder}
            error={messages.error}
            onLoadOlder={messages.loadOlder}
          />
        ) : (
          <p className="muted chat-main__hint">Pick a room from the list to read and write messages.</p>
        )}
        <MessageInput ref={input} disabled={!room} onSend={send} />
      </main>
    </div>
  );
}

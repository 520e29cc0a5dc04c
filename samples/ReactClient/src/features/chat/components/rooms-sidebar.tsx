import type { ChatRoom } from '@/lib/chat-client';

export type RoomsSidebarProps = {
  rooms: ChatRoom[];
  selectedSid: string | null;
  onSelect: (sid: string) => void;
};

export function RoomsSidebar({ rooms, selectedSid, onSelect }: RoomsSidebarProps) {
  return (
    <nav className="rooms-sidebar" aria-label="Rooms">
      <h2 className="rooms-sidebar__title">Rooms</h2>
      {rooms.length === 0 ? (
        <p className="muted">No rooms yet.</p>
      ) : (
        <ul>
          {rooms.map((room) => (
            <li key={room.sid}>
              <button
                type="button"
                aria-current={room.sid === selectedSid ? 'true' : undefined}
                onClick={() => onSelect(room.sid)}
              >
                {room.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}

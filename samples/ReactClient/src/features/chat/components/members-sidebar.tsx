import type { ChatMember } from '../types';

export type MembersSidebarProps = {
  /** Null when no room is chosen. */
  roomName: string | null;
  members: ChatMember[];
  loading: boolean;
  error: string | null;
  identity: string;
  /** The identity whose private conversation is being opened. */
  openingWith: string | null;
  onMessage: (identity: string) => void;
};

function presence(member: ChatMember): string | null {
  if (member.online === null) return null;
  return member.online ? 'online' : 'offline';
}

export function MembersSidebar({ roomName, members, loading, error, identity, openingWith, onMessage }: MembersSidebarProps) {
  return (
    <aside className="members-sidebar" aria-label="Members">
      <h2 className="members-sidebar__title">Members</h2>
      {roomName === null ? (
        <p className="muted">Choose a room to see who is in it.</p>
      ) : (
        <>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          {loading && <p className="muted">Loading members…</p>}
          <ul className="members" aria-busy={loading}>
            {members.map((member) => {
              const name = member.kind === 'sms' ? member.address ?? 'SMS participant' : member.identity ?? 'unknown';
              const state = presence(member);
              const other = member.kind === 'chat' && member.identity && member.identity !== identity ? member.identity : null;
              return (
                <li key={member.sid} className="member">
                  <span className="member__name">{name}</span>
                  {member.kind === 'sms' && <span className="member__kind"> (SMS)</span>}
                  {member.identity === identity && <span className="member__kind"> (you)</span>}
                  {state && (
                    <>
                      {' '}
                      <span className={`member__presence member__presence--${state}`}>{state}</span>
                    </>
                  )}
                  {other && (
                    <button
                      type="button"
                      className="member__message"
                      onClick={() => onMessage(other)}
                      disabled={openingWith === other}
                    >
                      Message {other}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </aside>
  );
}

import type { ChatMember } from '../types';
import { NameForm } from './name-form';

/** Adding members to a group: shown only for a group. */
export type AddMemberProps = {
  adding: boolean;
  /** What the last add could not do. */
  error: string | null;
  /** Who was added last. */
  added: string | null;
  onAdd: (identity: string) => Promise<boolean>;
};

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
  /** Set for a group: the "Add member" form. */
  addMember?: AddMemberProps;
};

function presence(member: ChatMember): string | null {
  if (member.online === null) return null;
  return member.online ? 'online' : 'offline';
}

export function MembersSidebar({ roomName, members, loading, error, identity, openingWith, onMessage, addMember }: MembersSidebarProps) {
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
          {addMember && (
            <>
              {/* Shown to every member: whether they may add is their role's, which Twilio decides (see README). */}
              <NameForm name="Add member" label="Username to add" submit="Add member" busy={addMember.adding} onSubmit={addMember.onAdd} />
              {addMember.error && (
                <p role="alert" className="error">
                  {addMember.error}
                </p>
              )}
              <p role="status" className={addMember.added ? 'muted' : 'visually-hidden'}>
                {addMember.added ? `Added ${addMember.added}.` : ''}
              </p>
            </>
          )}
        </>
      )}
    </aside>
  );
}

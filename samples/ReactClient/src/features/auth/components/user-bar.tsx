export type UserBarProps = {
  identity: string;
  onLogout: () => void;
};

export function UserBar({ identity, onLogout }: UserBarProps) {
  return (
    <div className="user-bar">
      <span>Username: {identity}</span>
      <button type="button" onClick={onLogout}>
        Log out
      </button>
    </div>
  );
}

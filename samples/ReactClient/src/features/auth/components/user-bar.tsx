export type UserBarProps = {
  identity: string;
  onSignOut: () => void;
  /** Shows or hides the passkeys panel; absent where the browser has no WebAuthn. */
  onTogglePasskeys?: () => void;
  passkeysOpen?: boolean;
};

export function UserBar({ identity, onSignOut, onTogglePasskeys, passkeysOpen = false }: UserBarProps) {
  return (
    <div className="user-bar">
      <span>Username: {identity}</span>
      {onTogglePasskeys && (
        <button type="button" aria-expanded={passkeysOpen} onClick={onTogglePasskeys}>
          Passkeys
        </button>
      )}
      <button type="button" onClick={onSignOut}>
        Sign out
      </button>
    </div>
  );
}

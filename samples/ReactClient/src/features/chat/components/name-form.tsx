import { useId, useState, type FormEvent } from 'react';

export type NameFormProps = {
  /** The form's accessible name. */
  name: string;
  /** The text box's label. */
  label: string;
  /** The submit button's text. */
  submit: string;
  busy: boolean;
  /** Resolves to whether it worked: the box is emptied only then, so a refused name can be corrected. */
  onSubmit: (value: string) => Promise<boolean>;
};

/** One text box and a button: the name of a new group, the identity of a member to add. */
export function NameForm({ name, label, submit, busy, onSubmit }: NameFormProps) {
  const [value, setValue] = useState('');
  const inputId = useId();
  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !value.trim()) return;
    if (await onSubmit(value)) setValue('');
  };
  return (
    <form aria-label={name} className="name-form" onSubmit={(event) => void send(event)}>
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} value={value} maxLength={256} autoComplete="off" onChange={(event) => setValue(event.target.value)} />
      <button type="submit" disabled={busy || !value.trim()}>
        {submit}
      </button>
    </form>
  );
}

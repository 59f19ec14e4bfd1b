'use client';
import { useId, useState } from 'react';
import { LIMITS } from '@/shared/limits';
import { displayNameSchema } from '@/shared/schemas';
import type { PublicUser } from '@/shared/contract';
import type { Ack } from '@/shared/errors';

/** Pick (or change) a display name; validated in the browser with the server's own schema. */
export function NameForm({
  onSubmit,
  initial = '',
  submitLabel = 'Join the chat',
}: {
  onSubmit: (name: string) => Promise<Ack<PublicUser>>;
  initial?: string;
  submitLabel?: string;
}) {
  const id = useId();
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="name-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const check = displayNameSchema.safeParse(name);
        if (!check.success) return setError(check.error.issues[0]?.message ?? 'Invalid name');
        setBusy(true);
        setError(null);
        try {
          const ack = await onSubmit(check.data);
          if (!ack.ok) setError(ack.issues?.[0]?.message ?? ack.message);
        } catch {
          setError('Could not reach the server. Try again.');
        } finally {
          setBusy(false);
        }
      }}
    >
      <label htmlFor={id}>Display name</label>
      <div className="name-form__row">
        <input
          id={id}
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={LIMITS.nameMaxChars * 2}
          autoComplete="nickname"
          placeholder="How others will see you"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-err` : undefined}
        />
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
      {error && (
        <p id={`${id}-err`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

'use client';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { useAckForm } from '@/app/_lib/use-ack-form';
import { LIMITS } from '@/shared/limits';
import { displayNameSchema } from '@/shared/schemas';
import type { PublicUser } from '@/shared/contract';
import type { Ack } from '@/shared/errors';

/** Pick (or change) a display name; validated in the browser with the server's own schema. */
export function NameForm({
  onSubmit,
  initial = '',
  submitLabel,
}: {
  onSubmit: (name: string) => Promise<Ack<PublicUser>>;
  initial?: string;
  submitLabel?: string;
}) {
  const id = useId();
  const t = useTranslations('NameForm');
  const [name, setName] = useState(initial);
  const { busy, error, setError, submit } = useAckForm<PublicUser>({ describe: (refusal) => refusal.issues?.[0]?.message ?? refusal.message });
  return (
    <form
      className="name-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const check = displayNameSchema.safeParse(name);
        if (!check.success) return setError(check.error.issues[0]?.message ?? 'Invalid name');
        await submit(() => onSubmit(check.data));
      }}
    >
      <label htmlFor={id}>{t('label')}</label>
      <div className="name-form__row">
        <input
          id={id}
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={LIMITS.nameMaxChars * 2}
          autoComplete="nickname"
          placeholder={t('placeholder')}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-err` : undefined}
        />
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? t('saving') : (submitLabel ?? t('join'))}
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

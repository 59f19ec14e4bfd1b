'use client';
import { useTranslations } from 'next-intl';
import type { ConnectionState } from '@/app/_lib/socket';

export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  const t = useTranslations('Header');
  return (
    // The chat connection, not the stream: "Live" would read as "the stream is on air".
    <span className={`conn conn--${state}`} role="status" aria-live="polite" data-testid="connection" data-state={state} title={t('connection')}>
      <span className="conn__dot" aria-hidden="true" />
      <span className="conn__label">{t(state)}</span>
    </span>
  );
}

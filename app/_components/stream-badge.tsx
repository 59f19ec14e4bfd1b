'use client';
import { useTranslations } from 'next-intl';
import type { StreamState } from '@/shared/contract';
import './stream-badge.css';

/** The stream's on-air state in the header (the connection has its own indicator). */
export function StreamBadge({ stream }: { stream: StreamState | undefined }) {
  const t = useTranslations('StreamBadge');
  if (!stream) return null;
  return (
    <span className={`stream-badge stream-badge--${stream.status}`} data-testid="stream-badge" data-status={stream.status}>
      {t(stream.status)}
    </span>
  );
}

'use client';
import type { StreamState } from '@/shared/contract';
import './stream-badge.css';

const LABEL = { live: 'Live', offline: 'Offline', ended: 'Ended' } as const;

/** The stream's on-air state in the header (the connection has its own indicator). */
export function StreamBadge({ stream }: { stream: StreamState | undefined }) {
  if (!stream) return null;
  return (
    <span className={`stream-badge stream-badge--${stream.status}`} data-testid="stream-badge" data-status={stream.status}>
      {LABEL[stream.status]}
    </span>
  );
}

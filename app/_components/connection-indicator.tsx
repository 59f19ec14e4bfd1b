'use client';
import type { ConnectionState } from '@/app/_lib/socket';

const LABEL: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  // Not 'Live': that word belongs to the stream's badge, this says only that the connection is up.
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  closed: 'Disconnected',
};

export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  return (
    <span className={`conn conn--${state}`} role="status" aria-live="polite" data-testid="connection" data-state={state}>
      <span className="conn__dot" aria-hidden="true" />
      {LABEL[state]}
    </span>
  );
}

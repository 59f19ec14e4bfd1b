'use client';
import type { ConnectionState } from '@/app/_lib/socket';

const LABEL: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  closed: 'Disconnected',
};

export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  return (
    // The chat connection, not the stream: "Live" would read as "the stream is on air".
    <span className={`conn conn--${state}`} role="status" aria-live="polite" data-testid="connection" data-state={state} title="Chat connection">
      <span className="conn__dot" aria-hidden="true" />
      {LABEL[state]}
    </span>
  );
}

'use client';
import type { RoomView } from '@/app/_lib/room-client';
import { getClosedReason, reconnectSocket, type ConnectionState } from '@/app/_lib/socket';

/** Status banners float over the top of the feed so they never push the comments around. */
export function RoomBanners({
  view,
  connection,
  onDismissAnnouncement,
}: {
  view: RoomView;
  connection: ConnectionState;
  onDismissAnnouncement: () => void;
}) {
  let status: { tone: 'warn' | 'info'; text: string; action?: boolean } | null = null;
  if (connection === 'closed') status = { tone: 'warn', text: `The server closed your connection: ${getClosedReason() ?? 'no reason given'}.`, action: true };
  else if (connection === 'offline') status = { tone: 'warn', text: 'You are offline. Comments will catch up when you are back.' };
  else if (connection === 'reconnecting') status = { tone: 'warn', text: 'Connection lost. Reconnecting…' };
  else if (view.resyncing) status = { tone: 'info', text: 'Back online. Catching up on missed comments…' };
  else if (view.warning) status = { tone: 'warn', text: view.warning.text };
  return (
    <div className="banners">
      {view.announcement && (
        <div className="banner banner--announcement" role="status" data-testid="announcement">
          <span aria-hidden="true">📣</span>
          <p>{view.announcement.text}</p>
          <button type="button" className="btn btn--ghost" onClick={onDismissAnnouncement} aria-label="Dismiss announcement">
            ✕
          </button>
        </div>
      )}
      {status && (
        <div className={`banner banner--${status.tone}`} role="status" aria-live="polite" data-testid="connection-banner">
          <p>{status.text}</p>
          {status.action && (
            <button type="button" className="btn btn--small" onClick={() => reconnectSocket()}>
              Reconnect
            </button>
          )}
        </div>
      )}
    </div>
  );
}

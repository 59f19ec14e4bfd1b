'use client';
import { useTranslations } from 'next-intl';
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
  const t = useTranslations('Banners');
  let status: { tone: 'warn' | 'info'; text: string; action?: boolean } | null = null;
  if (connection === 'closed') status = { tone: 'warn', text: t('closed', { reason: getClosedReason() ?? t('noReason') }), action: true };
  else if (connection === 'offline') status = { tone: 'warn', text: t('offline') };
  else if (connection === 'reconnecting') status = { tone: 'warn', text: t('reconnecting') };
  else if (view.resyncing) status = { tone: 'info', text: t('resyncing') };
  else if (view.warning) status = { tone: 'warn', text: view.warning.text };
  return (
    <div className="banners">
      {view.announcement && (
        <div className="banner banner--announcement" role="status" data-testid="announcement">
          <span aria-hidden="true">📣</span>
          <p>{view.announcement.text}</p>
          <button type="button" className="btn btn--ghost" onClick={onDismissAnnouncement} aria-label={t('dismiss')}>
            ✕
          </button>
        </div>
      )}
      {status && (
        <div className={`banner banner--${status.tone}`} role="status" aria-live="polite" data-testid="connection-banner">
          <p>{status.text}</p>
          {status.action && (
            <button type="button" className="btn btn--small" onClick={() => reconnectSocket()}>
              {t('reconnect')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

'use client';
import { useTranslations } from 'next-intl';
import { memo } from 'react';
import type { Outgoing, RoomClient } from '@/app/_lib/room-client';

/** One of your comments not acknowledged yet: sending, waiting to be resent, or failed. */
export const OutgoingItem = memo(function OutgoingItem({ outgoing: o, client }: { outgoing: Outgoing; client: RoomClient }) {
  const t = useTranslations('Feed');
  return (
    <li className={`comment comment--own comment--${o.state}`} data-testid="outgoing">
      <div className="comment__body">{o.content}</div>
      <div className="comment__state">
        {o.state === 'sending' ? (
          <span className="muted small">{t('sending')}</span>
        ) : o.state === 'pending' ? (
          <>
            <span className="muted small" role="status">{t('pending')}</span>
            <button type="button" className="btn btn--small btn--ghost" onClick={() => client.discard(o.clientMsgId)}>{t('discard')}</button>
          </>
        ) : (
          <>
            <span className="error small" role="alert">{t('failed')}{o.error ? `: ${o.error}` : ''}</span>
            <button type="button" className="btn btn--small" onClick={() => client.retry(o.clientMsgId)}>{t('retry')}</button>
            <button type="button" className="btn btn--small btn--ghost" onClick={() => client.discard(o.clientMsgId)}>{t('discard')}</button>
          </>
        )}
      </div>
    </li>
  );
});

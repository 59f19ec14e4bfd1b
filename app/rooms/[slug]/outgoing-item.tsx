import type { Outgoing, RoomClient } from '@/app/_lib/room-client';

/** One of your comments not acknowledged yet: sending, waiting to be resent, or failed. */
export function OutgoingItem({ outgoing: o, client }: { outgoing: Outgoing; client: RoomClient }) {
  return (
    <li className={`comment comment--own comment--${o.state}`} data-testid="outgoing">
      <div className="comment__body">{o.content}</div>
      <div className="comment__state">
        {o.state === 'sending' ? (
          <span className="muted small">Sending…</span>
        ) : o.state === 'pending' ? (
          <>
            <span className="muted small" role="status">Not sent yet, retrying automatically…</span>
            <button type="button" className="btn btn--small btn--ghost" onClick={() => client.discard(o.clientMsgId)}>Discard</button>
          </>
        ) : (
          <>
            <span className="error small" role="alert">Not sent{o.error ? `: ${o.error}` : ''}</span>
            <button type="button" className="btn btn--small" onClick={() => client.retry(o.clientMsgId)}>Retry</button>
            <button type="button" className="btn btn--small btn--ghost" onClick={() => client.discard(o.clientMsgId)}>Discard</button>
          </>
        )}
      </div>
    </li>
  );
}

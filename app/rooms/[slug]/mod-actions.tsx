'use client';
import { useEffect, useRef, useState } from 'react';
import type { Comment } from '@/shared/contract';
import type { Ack } from '@/shared/errors';
import { modEmit } from '@/app/mod/_lib/mod-socket';
import './mod-actions.css';

const TIMEOUTS = [1, 5, 10, 60, 24 * 60];
const label = (m: number) => (m < 60 ? `${m} min` : m < 1440 ? `${m / 60} h` : `${m / 1440} day`);

/**
 * Moderator tools on a comment (shown only to those the server said can moderate, and enforced there
 * anyway): hover actions — delete, time out, ban — and a menu with everything about its author.
 */
export function ModActions({ comment }: { comment: Comment }) {
  const [menu, setMenu] = useState(false);
  const [confirmBan, setConfirmBan] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [reason, setReason] = useState('');
  const root = useRef<HTMLDivElement>(null);
  const target = { roomId: comment.roomId, userId: comment.userId };
  // The menu's actions carry the typed reason (shown to the user with the sanction and kept in the audit log).
  const withReason = { ...target, ...(reason.trim() ? { reason: reason.trim().slice(0, 200) } : {}) };

  useEffect(() => {
    if (!menu) return;
    const close = (e: MouseEvent) => root.current && !root.current.contains(e.target as Node) && setMenu(false);
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && setMenu(false);
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', esc);
    };
  }, [menu]);

  useEffect(() => {
    if (!note) return;
    const t = setTimeout(() => setNote(null), 4_000);
    return () => clearTimeout(t);
  }, [note]);

  const run = async (p: Promise<Ack<unknown>>, done: string) => {
    setMenu(false);
    setConfirmBan(false);
    const ack = await p;
    setNote(ack.ok ? { ok: true, text: done } : { ok: false, text: ack.message });
  };

  return (
    <div className={`mod-actions${menu ? ' mod-actions--open' : ''}`} ref={root} data-testid="mod-actions">
      <div className="mod-actions__bar" role="toolbar" aria-label={`Moderate comment by ${comment.userName}`}>
        <button type="button" title="Delete this comment" data-testid="mod-delete" onClick={() => void run(modEmit('mod:delete', { roomId: comment.roomId, seqs: [comment.seq] }), 'Comment deleted')}>
          Delete
        </button>
        <button type="button" title="Time out for 5 minutes" data-testid="mod-timeout" onClick={() => void run(modEmit('mod:timeout', { ...target, minutes: 5 }), `${comment.userName} timed out for 5 min`)}>
          Timeout
        </button>
        {confirmBan ? (
          <button type="button" className="mod-actions__danger" data-testid="mod-ban-confirm" onClick={() => void run(modEmit('mod:ban', target), `${comment.userName} banned`)}>
            Confirm ban
          </button>
        ) : (
          <button type="button" className="mod-actions__danger" title="Ban from this room" data-testid="mod-ban" onClick={() => setConfirmBan(true)}>
            Ban
          </button>
        )}
        <button type="button" aria-haspopup="menu" aria-expanded={menu} title={`More about ${comment.userName}`} data-testid="mod-menu" onClick={() => setMenu((m) => !m)}>
          ⋯
        </button>
      </div>
      {menu && (
        <div className="mod-menu" role="menu" aria-label={`Moderate ${comment.userName}`}>
          <p className="mod-menu__title">{comment.userName}<span className="muted">#{comment.userTag}</span></p>
          <label className="mod-menu__group" htmlFor={`reason-${comment.seq}`}>Reason (optional)</label>
          <input
            id={`reason-${comment.seq}`}
            className="mod-menu__reason"
            value={reason}
            maxLength={200}
            onChange={(e) => setReason(e.target.value)}
            placeholder="Shown to them and in the audit log"
            data-testid="mod-reason"
          />
          <p className="mod-menu__group">Time out for</p>
          <div className="mod-menu__row">
            {TIMEOUTS.map((m) => (
              <button key={m} type="button" role="menuitem" onClick={() => void run(modEmit('mod:timeout', { ...withReason, minutes: m }), `${comment.userName} timed out for ${label(m)}`)}>
                {label(m)}
              </button>
            ))}
          </div>
          <button type="button" role="menuitem" onClick={() => void run(modEmit('mod:purge', { ...withReason, minutes: 10 }), `Last 10 min of ${comment.userName}'s comments removed`)}>
            Delete their comments (last 10 min)
          </button>
          <button type="button" role="menuitem" onClick={() => void run(modEmit('mod:close', withReason), `${comment.userName}'s connection closed`)}>
            Close their connection
          </button>
          <button type="button" role="menuitem" onClick={() => void run(modEmit('mod:lift', withReason), `Sanctions of ${comment.userName} lifted`)}>
            Lift timeout / ban
          </button>
          <button type="button" role="menuitem" className="mod-actions__danger" data-testid="mod-menu-ban" onClick={() => void run(modEmit('mod:ban', withReason), `${comment.userName} banned`)}>
            Ban from this room
          </button>
        </div>
      )}
      {note && (
        <span className={`mod-note${note.ok ? '' : ' mod-note--error'}`} role="status">
          {note.text}
        </span>
      )}
    </div>
  );
}

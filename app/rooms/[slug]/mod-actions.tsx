'use client';
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import type { Comment } from '@/shared/contract';
import type { Ack } from '@/shared/errors';
import { useErrorText } from '@/app/_lib/use-error-text';
import { modEmit } from '@/app/mod/_lib/mod-socket';
import './mod-actions.css';

const TIMEOUTS = [1, 5, 10, 60, 24 * 60];

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
  const t = useTranslations('ModMenu');
  const errorText = useErrorText();
  const duration = (m: number) => (m < 60 ? t('minutes', { count: m }) : m < 1440 ? t('hours', { count: m / 60 }) : t('days', { count: m / 1440 }));
  const name = comment.userName;
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
    setNote(ack.ok ? { ok: true, text: done } : { ok: false, text: errorText(ack) });
  };

  return (
    <div className={`mod-actions${menu ? ' mod-actions--open' : ''}`} ref={root} data-testid="mod-actions">
      <div className="mod-actions__bar" role="toolbar" aria-label={t('toolbar', { name })}>
        <button type="button" title={t('deleteHint')} data-testid="mod-delete" onClick={() => void run(modEmit('mod:delete', { roomId: comment.roomId, seqs: [comment.seq] }), t('deleted'))}>
          {t('delete')}
        </button>
        <button type="button" title={t('timeoutHint')} data-testid="mod-timeout" onClick={() => void run(modEmit('mod:timeout', { ...target, minutes: 5 }), t('timedOut', { name, duration: duration(5) }))}>
          {t('timeout')}
        </button>
        {confirmBan ? (
          <button type="button" className="mod-actions__danger" data-testid="mod-ban-confirm" onClick={() => void run(modEmit('mod:ban', target), t('banned', { name }))}>
            {t('confirmBan')}
          </button>
        ) : (
          <button type="button" className="mod-actions__danger" title={t('banHint')} data-testid="mod-ban" onClick={() => setConfirmBan(true)}>
            {t('ban')}
          </button>
        )}
        <button type="button" aria-haspopup="menu" aria-expanded={menu} title={t('more', { name })} data-testid="mod-menu" onClick={() => setMenu((m) => !m)}>
          ⋯
        </button>
      </div>
      {menu && (
        // The reason field is not a menu item: the popup is a group holding it and the menu of actions.
        <div className="mod-menu" role="group" aria-label={t('menu', { name })}>
          <p className="mod-menu__title">{comment.userName}<span className="muted">#{comment.userTag}</span></p>
          <label className="mod-menu__group" htmlFor={`reason-${comment.seq}`}>{t('reason')}</label>
          <input
            id={`reason-${comment.seq}`}
            className="mod-menu__reason"
            value={reason}
            maxLength={200}
            onChange={(e) => setReason(e.target.value)}
            placeholder={t('reasonPlaceholder')}
            data-testid="mod-reason"
          />
          <div className="mod-menu__actions" role="menu" aria-label={t('menu', { name })}>
            <div role="group" aria-labelledby={`timeouts-${comment.seq}`}>
              <p className="mod-menu__group" id={`timeouts-${comment.seq}`}>{t('timeoutFor')}</p>
              <div className="mod-menu__row">
                {TIMEOUTS.map((m) => (
                  <button key={m} type="button" role="menuitem" onClick={() => void run(modEmit('mod:timeout', { ...withReason, minutes: m }), t('timedOut', { name, duration: duration(m) }))}>
                    {duration(m)}
                  </button>
                ))}
              </div>
            </div>
            <button type="button" role="menuitem" onClick={() => void run(modEmit('mod:purge', { ...withReason, minutes: 10 }), t('purged', { name }))}>
              {t('purge')}
            </button>
            <button type="button" role="menuitem" onClick={() => void run(modEmit('mod:close', withReason), t('closed', { name }))}>
              {t('close')}
            </button>
            <button type="button" role="menuitem" onClick={() => void run(modEmit('mod:lift', withReason), t('lifted', { name }))}>
              {t('lift')}
            </button>
            <button type="button" role="menuitem" className="mod-actions__danger" data-testid="mod-menu-ban" onClick={() => void run(modEmit('mod:ban', withReason), t('banned', { name }))}>
              {t('banFromRoom')}
            </button>
          </div>
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

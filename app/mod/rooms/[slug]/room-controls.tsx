'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { Ack } from '@/shared/errors';
import type { ModRoomDetail } from '@/shared/moderation';
import { modEmit } from '../../_lib/mod-socket';
import { useConsoleErrorText, useConsoleFormat } from '../../_lib/use-console-format';

const SLOW_CHOICES = [0, 5, 10, 30, 60, 120, 300];

/** Slow mode, read-only and blocked terms; every change goes through the same socket events as the room page. */
export function RoomControls({ room, onChanged }: { room: ModRoomDetail; onChanged: () => void }) {
  const [term, setTerm] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const t = useTranslations('Console');
  const errorText = useConsoleErrorText();

  const run = async (p: Promise<Ack<unknown>>, done: string) => {
    const ack = await p;
    setMessage(ack.ok ? { ok: true, text: done } : { ok: false, text: errorText(ack) });
    onChanged();
    return ack.ok;
  };

  return (
    <section className="card panel" aria-labelledby="controls-h">
      <h2 id="controls-h">{t('controls')}</h2>
      <div className="control-row">
        <label htmlFor="slow">{t('slowModeLabel')}</label>
        <select
          id="slow"
          data-testid="slow-mode"
          value={room.slowModeSeconds}
          onChange={(e) => void run(modEmit('mod:settings', { roomId: room.id, slowModeSeconds: Number(e.target.value) }), t('slowUpdated'))}
        >
          {[...new Set([...SLOW_CHOICES, room.slowModeSeconds])].sort((a, b) => a - b).map((s) => (
            <option key={s} value={s}>{s === 0 ? t('off') : t('perSeconds', { seconds: s })}</option>
          ))}
        </select>
      </div>
      <div className="control-row">
        <span className="control-row__label">{t('readOnlyLabel')}</span>
        <button
          type="button"
          role="switch"
          aria-checked={room.readOnly}
          data-testid="read-only"
          className={`switch${room.readOnly ? ' switch--on' : ''}`}
          onClick={() => void run(modEmit('mod:settings', { roomId: room.id, readOnly: !room.readOnly }), room.readOnly ? t('openAgain') : t('nowReadOnly'))}
        >
          <span className="switch__knob" />
          <span className="sr-only">{t('readOnlyLabel')}</span>
        </button>
        <span className="muted small">{room.readOnly ? t('onlyModerators') : t('everyone')}</span>
      </div>
      <form
        className="control-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!term.trim()) return;
          void run(modEmit('mod:terms', { roomId: room.id, add: [term] }), t('blocked', { term: term.trim() })).then((ok) => ok && setTerm(''));
        }}
      >
        <label htmlFor="term">{t('blockedTerms')}</label>
        <input id="term" value={term} onChange={(e) => setTerm(e.target.value)} placeholder={t('termPlaceholder')} maxLength={64} />
        <button type="submit" className="btn btn--small">{t('add')}</button>
      </form>
      <p className="muted small control-note">{t('termsNote')}</p>
      <ul className="chips" data-testid="terms">
        {room.terms.room.map((term) => (
          <li key={term} className="chip">
            {term}
            <button type="button" aria-label={t('unblock', { term })} onClick={() => void run(modEmit('mod:terms', { roomId: room.id, remove: [term] }), t('unblocked', { term }))}>×</button>
          </li>
        ))}
        {room.terms.global.map((term) => (
          <li key={`g-${term}`} className="chip chip--global" title={t('globalTerm')}>{term}</li>
        ))}
        {room.terms.room.length + room.terms.global.length === 0 && <li className="muted small">{t('none')}</li>}
      </ul>
      {message && <p className={`small ${message.ok ? 'ok' : 'error'}`} role="status">{message.text}</p>}
    </section>
  );
}

export function SanctionsPanel({ room, onChanged }: { room: ModRoomDetail; onChanged: () => void }) {
  const t = useTranslations('Console');
  const { until } = useConsoleFormat();
  return (
    <section className="card panel" aria-labelledby="sanctions-h">
      <h2 id="sanctions-h">{t('sanctions')}</h2>
      {room.sanctions.length === 0 ? (
        <p className="muted small">{t('nobodySanctioned')}</p>
      ) : (
        <ul className="list" data-testid="sanctions">
          {room.sanctions.map((s) => (
            <li key={s.id} className="list__row">
              <span className={`badge ${s.kind === 'ban' ? 'badge--danger' : 'badge--warn'}`}>{t('kind', { kind: s.kind })}</span>
              <span className="list__main">
                <strong>{s.userName ?? s.userId.slice(0, 8)}</strong>
                <span className="muted small"> {until(s.until)}{s.reason ? ` · ${s.reason}` : ''}</span>
              </span>
              <button
                type="button"
                className="btn btn--small"
                onClick={() => void modEmit('mod:lift', { roomId: room.id, userId: s.userId }).then(onChanged)}
              >
                {t('lift')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

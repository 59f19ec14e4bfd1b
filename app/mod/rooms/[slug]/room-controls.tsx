'use client';
import { useState } from 'react';
import type { ModRoomDetail } from '@/shared/moderation';
import { modEmit } from '../../_lib/mod-socket';
import { until } from '../../_lib/format';

const SLOW_CHOICES = [0, 5, 10, 30, 60, 120, 300];

/** Slow mode, read-only and blocked terms; every change goes through the same socket events as the room page. */
export function RoomControls({ room, onChanged }: { room: ModRoomDetail; onChanged: () => void }) {
  const [term, setTerm] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const run = async (p: Promise<{ ok: boolean; message?: string }>, done: string) => {
    const ack = await p;
    setMessage(ack.ok ? { ok: true, text: done } : { ok: false, text: ack.message ?? 'Failed' });
    onChanged();
    return ack.ok;
  };

  return (
    <section className="card panel" aria-labelledby="controls-h">
      <h2 id="controls-h">Room controls</h2>
      <div className="control-row">
        <label htmlFor="slow">Slow mode</label>
        <select
          id="slow"
          data-testid="slow-mode"
          value={room.slowModeSeconds}
          onChange={(e) => void run(modEmit('mod:settings', { roomId: room.id, slowModeSeconds: Number(e.target.value) }), 'Slow mode updated')}
        >
          {[...new Set([...SLOW_CHOICES, room.slowModeSeconds])].sort((a, b) => a - b).map((s) => (
            <option key={s} value={s}>{s === 0 ? 'Off' : `1 comment / ${s} s`}</option>
          ))}
        </select>
      </div>
      <div className="control-row">
        <span className="control-row__label">Read-only</span>
        <button
          type="button"
          role="switch"
          aria-checked={room.readOnly}
          data-testid="read-only"
          className={`switch${room.readOnly ? ' switch--on' : ''}`}
          onClick={() => void run(modEmit('mod:settings', { roomId: room.id, readOnly: !room.readOnly }), room.readOnly ? 'Room open again' : 'Room is read-only')}
        >
          <span className="switch__knob" />
          <span className="sr-only">Read-only</span>
        </button>
        <span className="muted small">{room.readOnly ? 'Only moderators can write' : 'Everyone can write'}</span>
      </div>
      <form
        className="control-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!term.trim()) return;
          void run(modEmit('mod:terms', { roomId: room.id, add: [term] }), `Blocked “${term.trim()}”`).then((ok) => ok && setTerm(''));
        }}
      >
        <label htmlFor="term">Blocked terms</label>
        <input id="term" value={term} onChange={(e) => setTerm(e.target.value)} placeholder="Add a word or phrase" maxLength={64} />
        <button type="submit" className="btn btn--small">Add</button>
      </form>
      <p className="muted small control-note">Comments containing a blocked term are rejected (the author is told why); case and full-width letters do not matter.</p>
      <ul className="chips" data-testid="terms">
        {room.terms.room.map((t) => (
          <li key={t} className="chip">
            {t}
            <button type="button" aria-label={`Unblock ${t}`} onClick={() => void run(modEmit('mod:terms', { roomId: room.id, remove: [t] }), `Unblocked “${t}”`)}>×</button>
          </li>
        ))}
        {room.terms.global.map((t) => (
          <li key={`g-${t}`} className="chip chip--global" title="Blocked in every room">{t}</li>
        ))}
        {room.terms.room.length + room.terms.global.length === 0 && <li className="muted small">None.</li>}
      </ul>
      {message && <p className={`small ${message.ok ? 'ok' : 'error'}`} role="status">{message.text}</p>}
    </section>
  );
}

export function SanctionsPanel({ room, onChanged }: { room: ModRoomDetail; onChanged: () => void }) {
  return (
    <section className="card panel" aria-labelledby="sanctions-h">
      <h2 id="sanctions-h">Sanctions in force</h2>
      {room.sanctions.length === 0 ? (
        <p className="muted small">Nobody is timed out or banned.</p>
      ) : (
        <ul className="list" data-testid="sanctions">
          {room.sanctions.map((s) => (
            <li key={s.id} className="list__row">
              <span className={`badge ${s.kind === 'ban' ? 'badge--danger' : 'badge--warn'}`}>{s.kind}</span>
              <span className="list__main">
                <strong>{s.userName ?? s.userId.slice(0, 8)}</strong>
                <span className="muted small"> {until(s.until)}{s.reason ? ` · ${s.reason}` : ''}</span>
              </span>
              <button
                type="button"
                className="btn btn--small"
                onClick={() => void modEmit('mod:lift', { roomId: room.id, userId: s.userId }).then(onChanged)}
              >
                Lift
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

'use client';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { getSocket } from '@/app/_lib/socket';
import { useErrorText } from '@/app/_lib/use-error-text';
import type { StreamState, StreamStatus } from '@/shared/contract';
import { checkStreamSource, STREAM_STATUSES } from '@/shared/stream';

/** The owner's (or an admin's) controls: the stream source and whether it is on air. */
export function StreamControls({ roomId, stream }: { roomId: string; stream: StreamState }) {
  const id = useId();
  const t = useTranslations('StreamControls');
  const errorText = useErrorText();
  const [source, setSource] = useState(stream.url ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function send(change: { source?: string | null; status?: StreamStatus }) {
    if (typeof change.source === 'string') {
      // The same check the server makes, so an obvious mistake is explained before the round trip.
      const checked = checkStreamSource(change.source);
      if (!checked.ok) return setError(t(`problem.${checked.problem}`, checked.values));
    }
    setBusy(true);
    setError(null);
    getSocket()
      .timeout(10_000)
      .emit('stream:set', { roomId, ...change }, (err, ack) => {
        setBusy(false);
        if (err) return setError(t('noAnswer'));
        if (!ack.ok) return setError(errorText(ack));
        setSource(ack.data.url ?? '');
      });
  }

  return (
    <form
      className="stream-controls"
      data-testid="stream-controls"
      onSubmit={(e) => {
        e.preventDefault();
        send({ source: source.trim() === '' ? null : source.trim() });
      }}
    >
      <label htmlFor={id} className="stream-controls__label">{t('source')}</label>
      <input
        id={id}
        value={source}
        onChange={(e) => setSource(e.target.value)}
        placeholder={t('sourcePlaceholder')}
        data-testid="stream-source"
      />
      <button className="btn btn--small" type="submit" disabled={busy} data-testid="stream-save">{t('setSource')}</button>
      <span className="stream-controls__status" role="group" aria-label={t('status')}>
        {STREAM_STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className={`btn btn--small ${stream.status === s ? 'btn--primary' : 'btn--ghost'}`}
            aria-pressed={stream.status === s}
            disabled={busy}
            onClick={() => send({ status: s })}
            data-testid={`stream-status-${s}`}
          >
            {s === 'live' ? t('goLive') : s === 'ended' ? t('end') : t('offline')}
          </button>
        ))}
      </span>
      {error && <p className="field-error" role="alert" data-testid="stream-error">{error}</p>}
    </form>
  );
}

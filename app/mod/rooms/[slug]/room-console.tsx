'use client';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { PublicUser } from '@/shared/contract';
import type { Ack } from '@/shared/errors';
import type { AuditRecord, ModRoomDetail } from '@/shared/moderation';
import { AccessProblem, ModHeader } from '../../_components/mod-header';
import { useConsoleErrorText, useConsoleFormat } from '../../_lib/use-console-format';
import { modEmit } from '../../_lib/mod-socket';
import { usePoll } from '../../_lib/use-poll';
import { Tile } from '../../rooms-console';
import { ActivityChart } from './activity-chart';
import { RoomControls, SanctionsPanel } from './room-controls';

export function RoomConsole({ user, roomId }: { user: PublicUser; roomId: string }) {
  const [range, setRange] = useState<'1h' | '24h'>('1h');
  const { data: room, error, status, refresh } = usePoll<ModRoomDetail>(`/api/mod/rooms/${roomId}?range=${range}`, 3_000);
  const s = room?.stats;
  const t = useTranslations('Console');
  const { num, clock } = useConsoleFormat();
  const errorText = useConsoleErrorText();

  return (
    <>
      <ModHeader user={user}>
        <span className="muted" aria-hidden="true">/</span>
        <span className="mod-nav__room">{room?.title ?? roomId}</span>
      </ModHeader>
      <main className="mod">
        <div className="mod__head">
          <div>
            <h1>{room?.title ?? roomId}</h1>
            <p className="muted small">
              /{roomId}
              {room?.readOnly && <span className="badge badge--warn">{t('readOnly')}</span>}
              {room && room.slowModeSeconds > 0 && <span className="badge">{t('slowMode', { seconds: room.slowModeSeconds })}</span>}
            </p>
          </div>
          <Link className="btn" href={`/rooms/${roomId}`} target="_blank">{t('openRoom')}</Link>
        </div>
        {error && !room ? (
          <AccessProblem status={status} message={errorText(error)} />
        ) : (
          <>
            <section className="tiles tiles--wide" aria-label={t('liveNumbers')} data-testid="room-stats">
              <Tile label={t('tileOnline')} value={s?.online.connections ?? '–'} sub={s ? t('distinctUsers', { count: num(s.online.users) }) : undefined} testId="stat-online" />
              <Tile label={t('peakOnline')} value={s?.peakOnline.connections ?? '–'} sub={s?.peakOnline.at ? t('peakAt', { time: clock(s.peakOnline.at) }) : undefined} />
              <Tile label={t('tilePageViews')} value={s?.pageViews ?? '–'} sub={s ? t('uniqueViewers', { count: num(s.uniqueViewers) }) : undefined} testId="stat-page-views" />
              <Tile label={t('comments')} value={s?.commentsTotal ?? '–'} sub={s ? t('lastMinute', { count: num(s.commentsPerMinute) }) : undefined} testId="stat-comments" />
              <Tile label={t('chatters')} value={s?.uniqueChatters ?? '–'} sub={t('distinct')} />
              <Tile label={t('rateLimited')} value={s?.rateLimitHits ?? '–'} sub={t('refusedSends')} />
              <Tile label={t('modActions')} value={s?.moderationActions ?? '–'} />
            </section>

            <section className="card panel" aria-labelledby="chart-h">
              <div className="panel__head">
                <h2 id="chart-h">{t('activity')}</h2>
                <div className="segmented" role="group" aria-label={t('range')}>
                  {(['1h', '24h'] as const).map((r) => (
                    <button key={r} type="button" aria-pressed={range === r} onClick={() => setRange(r)}>
                      {r === '1h' ? t('lastHour') : t('last24h')}
                    </button>
                  ))}
                </div>
              </div>
              {room ? <ActivityChart series={room.series} range={range} /> : <div className="chart skeleton" />}
            </section>

            {room && (
              <div className="mod-grid">
                <TopChatters room={room} onChanged={refresh} />
                <RoomControls room={room} onChanged={refresh} />
                <SanctionsPanel room={room} onChanged={refresh} />
                <AuditLog entries={room.audit} />
              </div>
            )}
          </>
        )}
      </main>
    </>
  );
}

function TopChatters({ room, onChanged }: { room: ModRoomDetail; onChanged: () => void }) {
  const [note, setNote] = useState<string | null>(null);
  const t = useTranslations('Console');
  const { num } = useConsoleFormat();
  const errorText = useConsoleErrorText();
  const act = async (p: Promise<Ack<unknown>>, done: string) => {
    const ack = await p;
    setNote(ack.ok ? done : errorText(ack));
    onChanged();
  };
  const max = Math.max(1, ...room.topChatters.map((c) => c.comments));
  return (
    <section className="card panel" aria-labelledby="top-h">
      <h2 id="top-h">{t('topChatters')}</h2>
      {room.topChatters.length === 0 ? (
        <p className="muted small">{t('nobodyCommented')}</p>
      ) : (
        <ol className="list" data-testid="top-chatters">
          {room.topChatters.map((c) => (
            <li key={c.userId} className="list__row">
              <span className="list__main">
                <strong>{c.name}</strong>
                <span className="bar" style={{ width: `${(c.comments / max) * 100}%` }} aria-hidden="true" />
              </span>
              <span className="num">{num(c.comments)}</span>
              <span className="row-actions">
                <button type="button" className="btn btn--small" onClick={() => void act(modEmit('mod:timeout', { roomId: room.id, userId: c.userId, minutes: 5 }), t('timedOut', { name: c.name }))}>
                  {t('timeout5')}
                </button>
                <button type="button" className="btn btn--small btn--danger" onClick={() => void act(modEmit('mod:ban', { roomId: room.id, userId: c.userId }), t('banned', { name: c.name }))}>
                  {t('ban')}
                </button>
              </span>
            </li>
          ))}
        </ol>
      )}
      {note && <p className="small muted" role="status">{note}</p>}
    </section>
  );
}

type Translate = ReturnType<typeof useTranslations<'Console'>>;

/** The audit record's details in words (the record holds data, not text, so any language can say it). */
function describe(e: AuditRecord, t: Translate): string {
  const d = e.detail ?? {};
  if (e.action === 'settings') {
    const parts = [];
    if (typeof d.slowModeSeconds === 'number') parts.push(d.slowModeSeconds ? t('slowMode', { seconds: d.slowModeSeconds }) : t('slowModeOff'));
    if (typeof d.readOnly === 'boolean') parts.push(d.readOnly ? t('readOnlyOn') : t('readOnlyOff'));
    return parts.join(t('listSeparator'));
  }
  if (e.action === 'timeout' && typeof d.minutes === 'number') return t('minutes', { count: d.minutes });
  if (e.action === 'terms') {
    const add = Array.isArray(d.add) ? d.add : [];
    const rem = Array.isArray(d.remove) ? d.remove : [];
    return [add.length ? `+${add.join(', +')}` : '', rem.length ? `−${rem.join(', −')}` : ''].filter(Boolean).join(' ');
  }
  if ((e.action === 'delete' || e.action === 'purge') && Array.isArray(d.comments)) {
    const first = d.comments[0] as { content?: string; userName?: string } | undefined;
    return d.comments.length === 1 && first ? `${first.userName}: “${first.content}”` : t('commentCount', { count: d.comments.length });
  }
  return '';
}

function AuditLog({ entries }: { entries: AuditRecord[] }) {
  const t = useTranslations('Console');
  const { stamp } = useConsoleFormat();
  return (
    <section className="card panel panel--wide" aria-labelledby="audit-h">
      <h2 id="audit-h">{t('auditLog')}</h2>
      {entries.length === 0 ? (
        <p className="muted small">{t('noActions')}</p>
      ) : (
        <div className="audit-scroll">
          <table className="mod-table mod-table--compact" data-testid="audit-log">
            <thead>
              <tr><th>{t('when')}</th><th>{t('who')}</th><th>{t('action')}</th><th>{t('target')}</th><th>{t('details')}</th><th>{t('reason')}</th></tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td className="muted nowrap"><time dateTime={e.at}>{stamp(e.at)}</time></td>
                  <td>{e.actorName}</td>
                  <td><span className={`badge badge--${e.action}`}>{t.has(`action_${e.action}`) ? t(`action_${e.action}`) : e.action}</span></td>
                  <td>{e.targetId ? (typeof e.detail?.targetName === 'string' ? e.detail.targetName : <span className="muted mono">{e.targetId.slice(0, 8)}</span>) : <span className="muted">—</span>}</td>
                  <td className="audit-detail">{describe(e, t)}</td>
                  <td className="muted">{e.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

'use client';
import Link from 'next/link';
import { useState } from 'react';
import type { PublicUser } from '@/shared/contract';
import type { AuditRecord, ModRoomDetail } from '@/shared/moderation';
import { AccessProblem, ModHeader } from '../../_components/mod-header';
import { clock, num, stamp } from '../../_lib/format';
import { modEmit } from '../../_lib/mod-socket';
import { usePoll } from '../../_lib/use-poll';
import { Tile } from '../../rooms-console';
import { ActivityChart } from './activity-chart';
import { RoomControls, SanctionsPanel } from './room-controls';

export function RoomConsole({ user, roomId }: { user: PublicUser; roomId: string }) {
  const [range, setRange] = useState<'1h' | '24h'>('1h');
  const { data: room, error, status, refresh } = usePoll<ModRoomDetail>(`/api/mod/rooms/${roomId}?range=${range}`, 3_000);
  const s = room?.stats;

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
              {room?.readOnly && <span className="badge badge--warn">read-only</span>}
              {room && room.slowModeSeconds > 0 && <span className="badge">slow mode {room.slowModeSeconds}s</span>}
            </p>
          </div>
          <Link className="btn" href={`/rooms/${roomId}`} target="_blank">Open room ↗</Link>
        </div>
        {error && !room ? (
          <AccessProblem status={status} message={error.message} />
        ) : (
          <>
            <section className="tiles tiles--wide" aria-label="Live numbers" data-testid="room-stats">
              <Tile label="Online now" value={s?.online.connections ?? '–'} sub={s ? `${num(s.online.users)} distinct users` : undefined} testId="stat-online" />
              <Tile label="Peak online" value={s?.peakOnline.connections ?? '–'} sub={s?.peakOnline.at ? `at ${clock(s.peakOnline.at)}` : undefined} />
              <Tile label="Page views" value={s?.pageViews ?? '–'} sub={s ? `${num(s.uniqueViewers)} unique viewers` : undefined} testId="stat-page-views" />
              <Tile label="Comments" value={s?.commentsTotal ?? '–'} sub={s ? `${num(s.commentsPerMinute)} in the last minute` : undefined} testId="stat-comments" />
              <Tile label="Chatters" value={s?.uniqueChatters ?? '–'} sub="distinct" />
              <Tile label="Rate-limited" value={s?.rateLimitHits ?? '–'} sub="refused sends" />
              <Tile label="Mod actions" value={s?.moderationActions ?? '–'} />
            </section>

            <section className="card panel" aria-labelledby="chart-h">
              <div className="panel__head">
                <h2 id="chart-h">Activity</h2>
                <div className="segmented" role="group" aria-label="Range">
                  {(['1h', '24h'] as const).map((r) => (
                    <button key={r} type="button" aria-pressed={range === r} onClick={() => setRange(r)}>
                      {r === '1h' ? 'Last hour' : 'Last 24 h'}
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
  const act = async (p: Promise<{ ok: boolean; message?: string }>, done: string) => {
    const ack = await p;
    setNote(ack.ok ? done : (ack.message ?? 'Failed'));
    onChanged();
  };
  const max = Math.max(1, ...room.topChatters.map((c) => c.comments));
  return (
    <section className="card panel" aria-labelledby="top-h">
      <h2 id="top-h">Top chatters</h2>
      {room.topChatters.length === 0 ? (
        <p className="muted small">Nobody has commented yet.</p>
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
                <button type="button" className="btn btn--small" onClick={() => void act(modEmit('mod:timeout', { roomId: room.id, userId: c.userId, minutes: 5 }), `${c.name} timed out for 5 min`)}>
                  Timeout 5m
                </button>
                <button type="button" className="btn btn--small btn--danger" onClick={() => void act(modEmit('mod:ban', { roomId: room.id, userId: c.userId }), `${c.name} banned`)}>
                  Ban
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

const ACTION_LABEL: Record<string, string> = {
  delete: 'deleted a comment',
  purge: 'purged comments',
  timeout: 'timed out',
  ban: 'banned',
  lift: 'lifted sanctions of',
  settings: 'changed settings',
  terms: 'changed blocked terms',
  close: 'closed the connection of',
  appoint: 'appointed moderator',
  dismiss: 'dismissed moderator',
};

function describe(e: AuditRecord): string {
  const d = e.detail ?? {};
  if (e.action === 'settings') {
    const parts = [];
    if (typeof d.slowModeSeconds === 'number') parts.push(d.slowModeSeconds ? `slow mode ${d.slowModeSeconds}s` : 'slow mode off');
    if (typeof d.readOnly === 'boolean') parts.push(d.readOnly ? 'read-only on' : 'read-only off');
    return parts.join(', ');
  }
  if (e.action === 'timeout' && typeof d.minutes === 'number') return `${d.minutes} min`;
  if (e.action === 'terms') {
    const add = Array.isArray(d.add) ? d.add : [];
    const rem = Array.isArray(d.remove) ? d.remove : [];
    return [add.length ? `+${add.join(', +')}` : '', rem.length ? `−${rem.join(', −')}` : ''].filter(Boolean).join(' ');
  }
  if ((e.action === 'delete' || e.action === 'purge') && Array.isArray(d.comments)) {
    const first = d.comments[0] as { content?: string; userName?: string } | undefined;
    return d.comments.length === 1 && first ? `${first.userName}: “${first.content}”` : `${d.comments.length} comments`;
  }
  return '';
}

function AuditLog({ entries }: { entries: AuditRecord[] }) {
  return (
    <section className="card panel panel--wide" aria-labelledby="audit-h">
      <h2 id="audit-h">Audit log</h2>
      {entries.length === 0 ? (
        <p className="muted small">No moderation actions yet.</p>
      ) : (
        <div className="audit-scroll">
          <table className="mod-table mod-table--compact" data-testid="audit-log">
            <thead>
              <tr><th>When</th><th>Who</th><th>Action</th><th>Target</th><th>Details</th><th>Reason</th></tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td className="muted nowrap"><time dateTime={e.at}>{stamp(e.at)}</time></td>
                  <td>{e.actorName}</td>
                  <td><span className={`badge badge--${e.action}`}>{ACTION_LABEL[e.action] ?? e.action}</span></td>
                  <td>{e.targetId ? (typeof e.detail?.targetName === 'string' ? e.detail.targetName : <span className="muted mono">{e.targetId.slice(0, 8)}</span>) : <span className="muted">—</span>}</td>
                  <td className="audit-detail">{describe(e)}</td>
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

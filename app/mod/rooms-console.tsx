'use client';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useMemo, useState } from 'react';
import type { PublicUser } from '@/shared/contract';
import type { ModRoomRow } from '@/shared/moderation';
import { AccessProblem, ModHeader } from './_components/mod-header';
import { useConsoleErrorText, useConsoleFormat } from './_lib/use-console-format';
import { usePoll } from './_lib/use-poll';

type Key = 'title' | 'online' | 'peak' | 'pageViews' | 'uniqueViewers' | 'commentsTotal' | 'commentsPerMinute' | 'uniqueChatters' | 'rateLimitHits' | 'moderationActions';

// Labels and hints are message keys (Console.*), read in the page's language when rendered.
const COLUMNS: { key: Key; label: string; hint?: string; value: (r: ModRoomRow) => number | string }[] = [
  { key: 'title', label: 'colTitle', value: (r) => r.title.toLowerCase() },
  { key: 'online', label: 'colOnline', hint: 'colOnlineHint', value: (r) => r.stats.online.connections },
  { key: 'peak', label: 'colPeak', value: (r) => r.stats.peakOnline.connections },
  { key: 'pageViews', label: 'colPageViews', hint: 'colPageViewsHint', value: (r) => r.stats.pageViews },
  { key: 'uniqueViewers', label: 'colViewers', hint: 'colViewersHint', value: (r) => r.stats.uniqueViewers },
  { key: 'commentsTotal', label: 'colComments', value: (r) => r.stats.commentsTotal },
  { key: 'commentsPerMinute', label: 'colPerMinute', hint: 'colPerMinuteHint', value: (r) => r.stats.commentsPerMinute },
  { key: 'uniqueChatters', label: 'colChatters', value: (r) => r.stats.uniqueChatters },
  { key: 'rateLimitHits', label: 'colLimited', hint: 'colLimitedHint', value: (r) => r.stats.rateLimitHits },
  { key: 'moderationActions', label: 'colActions', hint: 'colActionsHint', value: (r) => r.stats.moderationActions },
];

export function RoomsConsole({ user }: { user: PublicUser }) {
  const { data, error, status } = usePoll<ModRoomRow[]>('/api/mod/rooms', 3_000);
  const [sort, setSort] = useState<{ key: Key; dir: 1 | -1 }>({ key: 'online', dir: -1 });
  const t = useTranslations('Console');
  const { num } = useConsoleFormat();
  const errorText = useConsoleErrorText();

  const rows = useMemo(() => {
    const col = COLUMNS.find((c) => c.key === sort.key) ?? COLUMNS[1]!;
    return [...(data ?? [])].sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return cmp * sort.dir || a.title.localeCompare(b.title);
    });
  }, [data, sort]);

  const totals = useMemo(() => {
    const all = data ?? [];
    const sum = (f: (r: ModRoomRow) => number) => all.reduce((s, r) => s + f(r), 0);
    return {
      rooms: all.length,
      live: all.filter((r) => r.stats.online.connections > 0).length,
      online: sum((r) => r.stats.online.connections),
      perMinute: sum((r) => r.stats.commentsPerMinute),
      pageViews: sum((r) => r.stats.pageViews),
    };
  }, [data]);

  const toggle = (key: Key) => setSort((s) => (s.key === key ? { key, dir: s.dir === 1 ? -1 : 1 } : { key, dir: key === 'title' ? 1 : -1 }));

  return (
    <>
      <ModHeader user={user} />
      <main className="mod">
        <div className="mod__head">
          <div>
            <h1>{t('rooms')}</h1>
            <p className="muted small">{t('roomsHint')}</p>
          </div>
          <span className="pill pill--live" aria-live="off">{data ? t('live') : t('loading')}</span>
        </div>
        {error && !data ? (
          <AccessProblem status={status} message={errorText(error)} />
        ) : (
          <>
            <section className="tiles" aria-label={t('totals')}>
              <Tile label={t('tileRooms')} value={totals.rooms} sub={t('tileRoomsSub', { count: totals.live })} />
              <Tile label={t('tileOnline')} value={totals.online} sub={t('tileOnlineSub')} />
              <Tile label={t('tilePerMinute')} value={totals.perMinute} sub={t('tilePerMinuteSub')} />
              <Tile label={t('tilePageViews')} value={totals.pageViews} sub={t('tilePageViewsSub')} />
            </section>
            <div className="card table-card">
              <table className="mod-table" data-testid="rooms-table">
                <thead>
                  <tr>
                    {COLUMNS.map((c) => (
                      <th key={c.key} aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'} className={c.key === 'title' ? 'mod-table__name' : 'num'} title={c.hint ? t(c.hint) : undefined}>
                        <button type="button" onClick={() => toggle(c.key)}>
                          {t(c.label)}
                          <span className="sort-mark" aria-hidden="true">{sort.key === c.key ? (sort.dir === 1 ? '▲' : '▼') : ''}</span>
                        </button>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data === null && (
                    <tr><td colSpan={COLUMNS.length}><div className="skeleton skeleton--line" /></td></tr>
                  )}
                  {data?.length === 0 && (
                    <tr><td colSpan={COLUMNS.length} className="muted">{t('noRooms')}</td></tr>
                  )}
                  {rows.map((r) => (
                    <tr key={r.id} data-testid="room-row" data-room={r.id}>
                      <td className="mod-table__name">
                        <Link href={`/mod/rooms/${r.id}`}>{r.title}</Link>
                        {r.readOnly && <span className="badge badge--warn">{t('readOnly')}</span>}
                        {r.slowModeSeconds > 0 && <span className="badge">{t('slow', { seconds: r.slowModeSeconds })}</span>}
                        <span className="muted mod-table__slug">/{r.id}</span>
                      </td>
                      <td className="num">
                        {r.stats.online.connections > 0 && <span className="live-dot" aria-hidden="true" />}
                        {num(r.stats.online.connections)} <span className="muted small">({num(r.stats.online.users)})</span>
                      </td>
                      <td className="num">{num(r.stats.peakOnline.connections)}</td>
                      <td className="num" data-testid="page-views">{num(r.stats.pageViews)}</td>
                      <td className="num">{num(r.stats.uniqueViewers)}</td>
                      <td className="num">{num(r.stats.commentsTotal)}</td>
                      <td className="num">{num(r.stats.commentsPerMinute)}</td>
                      <td className="num">{num(r.stats.uniqueChatters)}</td>
                      <td className="num">{num(r.stats.rateLimitHits)}</td>
                      <td className="num">{num(r.stats.moderationActions)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </main>
    </>
  );
}

export function Tile({ label, value, sub, testId }: { label: string; value: number | string; sub?: string | undefined; testId?: string }) {
  const { num } = useConsoleFormat();
  return (
    <div className="tile" data-testid={testId}>
      <span className="tile__label">{label}</span>
      <span className="tile__value">{typeof value === 'number' ? num(value) : value}</span>
      {sub && <span className="tile__sub muted small">{sub}</span>}
    </div>
  );
}

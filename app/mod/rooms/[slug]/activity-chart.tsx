'use client';
import { useTranslations } from 'next-intl';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { StatsPoint } from '@/shared/moderation';
import { useConsoleFormat } from '../../_lib/use-console-format';

/** Comments per minute (bars) and online connections (line) over the last hour or day. */
export function ActivityChart({ series, range }: { series: StatsPoint[]; range: '1h' | '24h' }) {
  const t = useTranslations('Console');
  const { clock } = useConsoleFormat();
  const data = series.map((p) => ({ ...p, label: clock(p.minute) }));
  return (
    <div className="chart" data-testid="activity-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
          <CartesianGrid stroke="#2a2f3a" vertical={false} />
          <XAxis dataKey="label" tick={{ fill: '#9aa3b2', fontSize: 11 }} tickLine={false} axisLine={{ stroke: '#2a2f3a' }} minTickGap={28} />
          <YAxis yAxisId="c" allowDecimals={false} tick={{ fill: '#9aa3b2', fontSize: 11 }} tickLine={false} axisLine={false} width={44} />
          <YAxis yAxisId="o" orientation="right" allowDecimals={false} tick={{ fill: '#9aa3b2', fontSize: 11 }} tickLine={false} axisLine={false} width={36} />
          <Tooltip
            contentStyle={{ background: '#171a21', border: '1px solid #2a2f3a', borderRadius: 10, color: '#e8eaf0' }}
            labelStyle={{ color: '#9aa3b2' }}
            cursor={{ fill: 'rgb(255 255 255 / .04)' }}
          />
          <Legend wrapperStyle={{ fontSize: 12, color: '#9aa3b2' }} />
          <Bar yAxisId="c" dataKey="comments" name={range === '1h' ? t('chartPerMinute') : t('chartPer10Minutes')} fill="#ff4d6d" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          <Line yAxisId="o" dataKey="onlinePeak" name={t('chartOnline')} stroke="#3ddc97" strokeWidth={2} dot={false} type="linear" isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

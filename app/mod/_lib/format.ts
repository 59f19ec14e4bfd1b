const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

export const num = (n: number) => (n >= 10_000 ? compact.format(n) : n.toLocaleString('en'));
export const clock = (iso: string) => timeFmt.format(new Date(iso));
export const stamp = (iso: string) => dateTimeFmt.format(new Date(iso));

export function until(iso: string | null): string {
  if (!iso) return 'permanent';
  const s = Math.max(0, Math.round((Date.parse(iso) - Date.now()) / 1000));
  if (s < 60) return `${s} s left`;
  if (s < 3600) return `${Math.ceil(s / 60)} min left`;
  return `${Math.round(s / 360) / 10} h left`;
}

import en from 'emoji-picker-element-data/en/emojibase/data.json';
import zh from 'emoji-picker-element-data/zh/emojibase/data.json';

/**
 * The emoji picker's data (emojibase, from the emoji-picker-element-data package), served by the app
 * itself: the picker would otherwise fetch it from a CDN, which an offline or strict deployment cannot
 * reach. Bundled at build time; browsers cache it for a day (the picker also keeps it in IndexedDB).
 */
const DATA: Record<string, unknown> = { en, 'zh-CN': zh };

export const dynamic = 'force-static';

export function generateStaticParams() {
  return Object.keys(DATA).map((locale) => ({ locale }));
}

export async function GET(_req: Request, { params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  const data = DATA[locale];
  if (!data) return Response.json({ error: 'unknown locale' }, { status: 404 });
  return Response.json(data, { headers: { 'cache-control': 'public, max-age=86400' } });
}

import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { requireSession } from './_lib/session';
import { RoomsConsole } from './rooms-console';
import './mod.css';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('Console'))('metaTitle') };
}
export const dynamic = 'force-dynamic';

export default async function ModPage() {
  const user = await requireSession('/mod');
  return <RoomsConsole user={user} />;
}

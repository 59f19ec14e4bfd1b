import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { slugSchema } from '@/shared/schemas';
import { requireSession } from '../../_lib/session';
import { RoomConsole } from './room-console';
import '../../mod.css';

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const t = await getTranslations('Console');
  return { title: t('roomMetaTitle', { slug: (await params).slug }) };
}

export default async function ModRoomPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  if (!slugSchema.safeParse(slug).success) notFound();
  const user = await requireSession(`/mod/rooms/${slug}`);
  return <RoomConsole user={user} roomId={slug} />;
}

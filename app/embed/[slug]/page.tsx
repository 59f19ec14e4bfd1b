import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { findRoom } from '@/app/_lib/find-room';
import { EmbedView } from './embed-view';

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const { slug } = await params;
  const room = await findRoom(slug);
  return { title: room ? room.title : slug, robots: { index: false } };
}

/** The chat alone, for a stream page's iframe or a popout window (docs/embedding.md). */
export default async function EmbedPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const room = await findRoom(slug);
  if (room === null) notFound();
  return <EmbedView roomId={slug} initialTitle={room?.title ?? slug} />;
}

import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getRuntime } from '@/server/runtime';
import { currentUser } from '@/app/_lib/current-user';
import type { FirstPage } from '@/app/_lib/room-client';
import { findRoom } from '@/app/_lib/find-room';
import { RoomView } from './room-view';

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const { slug } = await params;
  const room = await findRoom(slug);
  return { title: room ? room.title : slug };
}

/** The latest comments for the HTML itself: the first comment paints with the page, not after the socket. */
async function firstPage(slug: string): Promise<FirstPage | undefined> {
  try {
    const page = await getRuntime().rooms.latestPage(slug);
    return { messages: page.messages, hasMoreBefore: page.hasMore };
  } catch {
    return undefined; // the socket's join brings them
  }
}

export default async function RoomPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const room = await findRoom(slug);
  if (room === null) notFound();
  const [initial, user] = await Promise.all([room ? firstPage(slug) : undefined, currentUser().catch(() => undefined)]);
  return <RoomView roomId={slug} initialTitle={room?.title ?? slug} initial={initial} initialUser={user} />;
}

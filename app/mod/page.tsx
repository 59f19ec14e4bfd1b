import type { Metadata } from 'next';
import { requireSession } from './_lib/session';
import { RoomsConsole } from './rooms-console';
import './mod.css';

export const metadata: Metadata = { title: 'Moderator console' };
export const dynamic = 'force-dynamic';

export default async function ModPage() {
  const user = await requireSession('/mod');
  return <RoomsConsole user={user} />;
}

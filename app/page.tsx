import { getRuntime } from '@/server/runtime';
import type { RoomListing } from '@/shared/contract';
import { Lobby } from './_components/lobby';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  let rooms: RoomListing[] = [];
  try {
    rooms = await getRuntime().rooms.list();
  } catch {
    // Database still starting: the lobby loads the list itself once it answers.
  }
  return <Lobby initialRooms={rooms} />;
}

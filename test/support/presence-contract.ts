import { afterEach, describe, expect, it } from 'vitest';
import type { PresenceEntry, PresenceStore, RoomCounts } from '../../server/presence/presence.store.ts';

const entry = (socketId: string, userId: string | null, name = userId ?? '', tag = `t-${name}`): PresenceEntry => ({ socketId, userId, name, tag });
const counts = (connections: number, users: number): RoomCounts => ({ connections, users });

/**
 * What every PresenceStore must do alike, seen through the interface only: run against each backend
 * (the in-process store and the Redis one) so the single-instance and the cluster deployments count
 * people the same way. `makeStore` returns a started, empty store of its own (for Redis: its own key
 * prefix); the suite closes every store it made.
 */
export function describePresenceStore(name: string, makeStore: () => Promise<PresenceStore>): void {
  describe(`presence store contract: ${name}`, () => {
    const opened: PresenceStore[] = [];
    const open = async () => {
      const store = await makeStore();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    it('knows nothing of a room nobody joined', async () => {
      const store = await open();
      expect(await store.snapshot('nobody-here', 10)).toEqual({ connections: 0, users: 0, list: [], partial: false });
      expect(await store.counts(['nobody-here'])).toEqual(new Map([['nobody-here', counts(0, 0)]]));
      expect(await store.rooms()).toEqual([]);
    });

    it('lists a joined user with name, tag and one connection', async () => {
      const store = await open();
      await store.add('stage', entry('s1', 'u-ana', 'Ana', 'a1b2'));
      expect(await store.snapshot('stage', 10)).toEqual({
        connections: 1,
        users: 1,
        list: [{ userId: 'u-ana', name: 'Ana', tag: 'a1b2', connections: 1 }],
        partial: false,
      });
    });

    it('counts connections and distinct users apart: one list entry per user, with its connection count', async () => {
      const store = await open();
      await store.add('stage', entry('ana-1', 'u-ana', 'Ana'));
      await store.add('stage', entry('ana-2', 'u-ana', 'Ana'));
      await store.add('stage', entry('ana-3', 'u-ana', 'Ana'));
      await store.add('stage', entry('bo-1', 'u-bo', 'Bo'));
      await store.add('stage', entry('watcher-1', null));
      await store.add('stage', entry('watcher-2', null));
      const snap = await store.snapshot('stage', 10);
      expect(snap).toMatchObject({ connections: 6, users: 2, partial: false });
      expect(snap.list).toEqual([
        { userId: 'u-ana', name: 'Ana', tag: 't-Ana', connections: 3 },
        { userId: 'u-bo', name: 'Bo', tag: 't-Bo', connections: 1 },
      ]);
      expect((await store.counts(['stage'])).get('stage')).toEqual(counts(6, 2));
    });

    it('counts a viewer without a name as a connection only, never as a user or a list entry', async () => {
      const store = await open();
      await store.add('stage', entry('w1', null));
      await store.add('stage', entry('w2', null));
      expect(await store.snapshot('stage', 10)).toEqual({ connections: 2, users: 0, list: [], partial: false });
      expect((await store.counts(['stage'])).get('stage')).toEqual(counts(2, 0));
      expect(await store.rooms()).toEqual(['stage']); // a room with only watchers is still occupied
    });

    it('orders the list by connections, then by name, and caps it at listMax without capping the counts', async () => {
      const store = await open();
      await store.add('stage', entry('c', 'u-cy', 'Cy'));
      await store.add('stage', entry('a', 'u-ana', 'Ana'));
      await store.add('stage', entry('d1', 'u-dee', 'Dee'));
      await store.add('stage', entry('b', 'u-bo', 'Bo'));
      await store.add('stage', entry('d2', 'u-dee', 'Dee'));
      const names = async (listMax: number) => (await store.snapshot('stage', listMax)).list.map((u) => u.name);
      expect(await names(10)).toEqual(['Dee', 'Ana', 'Bo', 'Cy']);
      expect(await names(2)).toEqual(['Dee', 'Ana']);
      expect(await names(0)).toEqual([]);
      expect(await store.snapshot('stage', 2)).toMatchObject({ connections: 5, users: 4 });
    });

    it('keeps a socket in a room once: adding the same socket again replaces its entry', async () => {
      const store = await open();
      await store.add('stage', entry('s1', 'u-ana', 'Ana'));
      await store.add('stage', entry('s1', 'u-ana', 'Ana'));
      expect(await store.snapshot('stage', 10)).toMatchObject({ connections: 1, users: 1, list: [expect.objectContaining({ connections: 1 })] });
      // The socket picked a name: the same connection now counts for that user.
      await store.add('stage', entry('s2', null));
      await store.add('stage', entry('s2', 'u-bo', 'Bo'));
      expect(await store.snapshot('stage', 10)).toMatchObject({ connections: 2, users: 2 });
    });

    it('remove() takes out that one connection: the user stays listed until the last one left', async () => {
      const store = await open();
      await store.add('stage', entry('ana-1', 'u-ana', 'Ana'));
      await store.add('stage', entry('ana-2', 'u-ana', 'Ana'));
      await store.add('stage', entry('bo-1', 'u-bo', 'Bo'));
      await store.remove('stage', 'ana-1');
      let snap = await store.snapshot('stage', 10);
      expect(snap).toMatchObject({ connections: 2, users: 2 });
      expect(snap.list).toEqual([
        { userId: 'u-ana', name: 'Ana', tag: 't-Ana', connections: 1 },
        { userId: 'u-bo', name: 'Bo', tag: 't-Bo', connections: 1 },
      ]);
      await store.remove('stage', 'ana-2');
      snap = await store.snapshot('stage', 10);
      expect(snap).toMatchObject({ connections: 1, users: 1 });
      expect(snap.list.map((u) => u.userId)).toEqual(['u-bo']);
    });

    it('remove() of a socket or room it does not know changes nothing', async () => {
      const store = await open();
      await store.add('stage', entry('s1', 'u-ana', 'Ana'));
      await store.remove('stage', 'never-joined');
      await store.remove('other-room', 's1');
      await store.remove('never-seen-room', 'never-joined');
      expect(await store.snapshot('stage', 10)).toMatchObject({ connections: 1, users: 1 });
      expect(await store.rooms()).toEqual(['stage']);
    });

    it('keeps rooms apart: the same socket in two rooms is counted in each and removed from one only', async () => {
      const store = await open();
      await store.add('r1', entry('s1', 'u-ana', 'Ana'));
      await store.add('r2', entry('s1', 'u-ana', 'Ana'));
      await store.add('r2', entry('s2', 'u-bo', 'Bo'));
      expect(await store.counts(['r1', 'r2'])).toEqual(new Map([['r1', counts(1, 1)], ['r2', counts(2, 2)]]));
      await store.remove('r1', 's1');
      expect(await store.counts(['r1', 'r2'])).toEqual(new Map([['r1', counts(0, 0)], ['r2', counts(2, 2)]]));
      expect((await store.snapshot('r2', 10)).list.map((u) => u.userId)).toEqual(['u-ana', 'u-bo']);
    });

    it('counts() answers every room asked for, and only those', async () => {
      const store = await open();
      await store.add('r1', entry('s1', 'u-ana', 'Ana'));
      await store.add('r1', entry('s2', null));
      await store.add('r2', entry('s3', 'u-bo', 'Bo'));
      await store.add('r3', entry('s4', 'u-cy', 'Cy'));
      const got = await store.counts(['r2', 'r1', 'empty']);
      expect([...got.keys()].sort()).toEqual(['empty', 'r1', 'r2']);
      expect(got.get('r1')).toEqual(counts(2, 1));
      expect(got.get('r2')).toEqual(counts(1, 1));
      expect(got.get('empty')).toEqual(counts(0, 0));
      expect(await store.counts([])).toEqual(new Map());
    });

    it('rooms() lists every room with a connection, and forgets a room once its last connection left', async () => {
      const store = await open();
      await store.add('r1', entry('s1', 'u-ana', 'Ana'));
      await store.add('r2', entry('s2', null));
      await store.add('r3', entry('s3', 'u-bo', 'Bo'));
      await store.add('r3', entry('s4', 'u-cy', 'Cy'));
      expect((await store.rooms()).sort()).toEqual(['r1', 'r2', 'r3']);
      await store.remove('r2', 's2');
      await store.remove('r3', 's3');
      expect((await store.rooms()).sort()).toEqual(['r1', 'r3']);
      await store.remove('r1', 's1');
      await store.remove('r3', 's4');
      expect(await store.rooms()).toEqual([]);
      await store.add('r2', entry('s5', 'u-dee', 'Dee')); // a room can fill again
      expect(await store.rooms()).toEqual(['r2']);
    });

    it('close() forgets every connection the store holds', async () => {
      const store = await open();
      await store.add('r1', entry('s1', 'u-ana', 'Ana'));
      await store.add('r2', entry('s2', null));
      await store.close();
      expect(await store.counts(['r1', 'r2'])).toEqual(new Map([['r1', counts(0, 0)], ['r2', counts(0, 0)]]));
      expect(await store.rooms()).toEqual([]);
    });
  });
}

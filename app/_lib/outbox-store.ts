/** What survives a reload of an unacknowledged comment: enough to send it again under the same id. */
export interface StoredOutgoing {
  clientMsgId: string;
  content: string;
}

/** Where a room's unacknowledged comments are kept between page loads. */
export interface OutboxStore {
  load(roomId: string): StoredOutgoing[];
  save(roomId: string, entries: StoredOutgoing[]): void;
}

/** More would mean someone typed for minutes into a dead connection; the oldest go first. */
const MAX_STORED = 50;
const keyOf = (roomId: string) => `liveroom:outbox:${roomId}`;

const isStored = (x: unknown): x is StoredOutgoing =>
  typeof x === 'object' && x !== null && typeof (x as StoredOutgoing).clientMsgId === 'string' && typeof (x as StoredOutgoing).content === 'string';

/**
 * The browser's localStorage. Every failure (private mode, quota, another tab's garbage) degrades to
 * "not kept": the outbox still works for the life of the page.
 */
export function localOutboxStore(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined = browserStorage()): OutboxStore {
  return {
    load(roomId) {
      try {
        const parsed: unknown = JSON.parse(storage?.getItem(keyOf(roomId)) ?? '[]');
        return Array.isArray(parsed) ? parsed.filter(isStored).slice(-MAX_STORED) : [];
      } catch {
        return [];
      }
    },
    save(roomId, entries) {
      try {
        if (entries.length === 0) storage?.removeItem(keyOf(roomId));
        else storage?.setItem(keyOf(roomId), JSON.stringify(entries.slice(-MAX_STORED).map(({ clientMsgId, content }) => ({ clientMsgId, content }))));
      } catch {
        // Not kept across a reload; nothing else depends on it.
      }
    },
  };
}

/** For tests and for a page without storage. */
export const memoryOutboxStore = (): OutboxStore => {
  const rooms = new Map<string, StoredOutgoing[]>();
  return { load: (roomId) => rooms.get(roomId) ?? [], save: (roomId, entries) => void rooms.set(roomId, entries) };
};

/**
 * localStorage, or undefined where reading the property itself throws: a third-party iframe whose
 * browser blocks its storage (the embedded chat) must still work, without keeping its outbox.
 */
function browserStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

import { MemoryPresenceStore } from '../../server/presence/presence.store.ts';
import { describePresenceStore } from '../support/presence-contract.ts';

/** The single-instance store against the shared PresenceStore contract (the Redis run is in test/integration). */
describePresenceStore('memory', async () => new MemoryPresenceStore());

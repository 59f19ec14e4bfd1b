import type { Config } from '../../server/config.ts';
import type { Database } from '../../server/db/client.ts';

/** One `npm run admin -- <name> …` subcommand; scripts/admin.ts lists them. */
export interface AdminCommand {
  /** One line: arguments and what it does. */
  usage: string;
  run(args: string[], ctx: { db: Database; config: Config }): Promise<void>;
}

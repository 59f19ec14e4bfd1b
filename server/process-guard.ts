import type { EventEmitter } from 'node:events';
import type { Logger } from './logger.ts';

/**
 * The last line of defence: an error no handler caught (a rejected promise nobody awaited, a throw in a
 * timer or a library's nextTick) is logged with its stack and counted (liveroom_unexpected_errors_total)
 * instead of ending the process and every viewer's connection with it. Every known failure has its own
 * handler and coded answer; a count above zero is a bug to fix. Next installs the same log-and-continue
 * policy for its own process; this makes it hold without Next (socket-only instances) and makes it visible.
 */
export function installProcessGuard(log: Logger, count: (kind: 'exception' | 'rejection') => void, proc: EventEmitter = process): () => void {
  const onException = (err: unknown) => {
    count('exception');
    log.error({ err }, 'uncaught exception (kept running)');
  };
  const onRejection = (reason: unknown) => {
    count('rejection');
    log.error({ err: reason }, 'unhandled rejection (kept running)');
  };
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}

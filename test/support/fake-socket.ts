import { EventEmitter } from 'node:events';
import type { Ack } from '../../shared/errors.ts';

/** A scripted stand-in for the Socket.IO client: records emits, lets the test answer acks and push events. */
export class FakeSocket extends EventEmitter {
  connected = true;
  sent: { event: string; payload: unknown; ack: (err: Error | null, a: Ack<unknown>) => void }[] = [];
  timeout() {
    return { emit: (event: string, payload: unknown, ack: (err: Error | null, a: Ack<unknown>) => void) => this.sent.push({ event, payload, ack }) };
  }
  push(event: string, payload: unknown) {
    super.emit(event, payload);
  }
  override emit(event: string, payload?: unknown, ack?: unknown): boolean {
    this.sent.push({ event, payload, ack: ack as never });
    return true;
  }
  last(event: string) {
    const found = [...this.sent].reverse().find((s) => s.event === event);
    if (!found) throw new Error(`no ${event} emitted`);
    return found;
  }
}

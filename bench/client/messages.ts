import type { SerializedHistogram } from '../lib/histogram.ts';

/** Orchestrator → worker commands; each is answered by one WorkerReply with the same `id`. */
export type WorkerCommand =
  | {
      id: number;
      type: 'connect';
      url: string;
      /** `token` goes in the socket.io auth payload (`40{"token":…}`); `cookie` in the upgrade request's Cookie header, as a browser sends the session. */
      clients: { idx: number; token?: string; cookie?: string }[];
      concurrency: number;
      /** Extra upgrade-request headers (the heap scenario sends a browser's). */
      headers?: Record<string, string>;
    }
  | {
      id: number;
      type: 'join';
      joins: { idx: number; room: string; lastSeq?: number | null }[];
      concurrency: number;
      /** Extra fields for every join payload (the baseline's bench-only `quiet`). */
      extra?: Record<string, unknown>;
    }
  /** Resets receive counters; every member of a room gets a bitmap of sendersPerRoom × maxPerSender. */
  | { id: number; type: 'arm'; sendersPerRoom: Record<string, number>; maxPerSender: number; forceRoom?: string }
  | {
      id: number;
      type: 'send';
      senders: { idx: number; room: string; senderIdx: number }[];
      /** Fixed offered rate per sender, or a window of comments kept in flight (storage throughput). */
      mode: { kind: 'rate'; perSecond: number } | { kind: 'window'; inFlight: number };
      durationMs: number;
      runTag: string;
    }
  | { id: number; type: 'stats' }
  /** Sequential request/ack round trips from one client, timed (history pages, replays). */
  | { id: number; type: 'requests'; idx: number; frames: string[]; marker?: string }
  | { id: number; type: 'close' };

export interface SendResult {
  ackedByRoom: Record<string, number>;
  failedByCode: Record<string, number>;
  sent: number;
  ackLatency: SerializedHistogram;
}

export interface WorkerStats {
  unique: number;
  duplicates: number;
  /** Say frames whose content could not be attributed to an armed sender. */
  stray: number;
  frames: number;
  latency: SerializedHistogram;
  cpuMicros: number;
}

export type WorkerReply =
  | { id: number; ok: true; data: unknown }
  | { id: number; ok: false; error: string };

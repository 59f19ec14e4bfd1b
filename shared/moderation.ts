import { z } from 'zod';
import { roomIdSchema, seqSchema, stripControl } from './schemas.ts';

/**
 * Moderation and stats: payload schemas for the `mod:*` socket events and the console's HTTP bodies,
 * and the DTOs they return. The browser pre-checks with the same schemas the server enforces.
 */

const userIdSchema = z.string().min(1).max(64);
const reasonSchema = z
  .string()
  .max(200)
  .transform((s) => stripControl(s).trim())
  .optional();
/** Blocked terms are matched case-insensitively as substrings of the normalised comment. */
export const termSchema = z
  .string()
  .transform((s) => normalizeForMatch(s).trim())
  .refine((s) => s.length >= 2 && s.length <= 64, '2 to 64 characters');

export const SLOW_MODE_MAX_SECONDS = 3_600;
export const TIMEOUT_MAX_MINUTES = 7 * 24 * 60;

export const modDeletePayload = z.strictObject({ roomId: roomIdSchema, seqs: z.array(seqSchema).min(1).max(100), reason: reasonSchema });
export const modTimeoutPayload = z.strictObject({
  roomId: roomIdSchema,
  userId: userIdSchema,
  minutes: z.number().int().min(1).max(TIMEOUT_MAX_MINUTES),
  reason: reasonSchema,
});
export const modBanPayload = z.strictObject({ roomId: roomIdSchema, userId: userIdSchema, reason: reasonSchema });
export const modLiftPayload = modBanPayload;
export const modPurgePayload = z.strictObject({
  roomId: roomIdSchema,
  userId: userIdSchema,
  /** How far back to delete the user's comments. */
  minutes: z.number().int().min(1).max(24 * 60).default(10),
  reason: reasonSchema,
});
export const modSettingsPayload = z
  .strictObject({
    roomId: roomIdSchema,
    slowModeSeconds: z.number().int().min(0).max(SLOW_MODE_MAX_SECONDS).optional(),
    readOnly: z.boolean().optional(),
    reason: reasonSchema,
  })
  .refine((p) => p.slowModeSeconds !== undefined || p.readOnly !== undefined, 'give slowModeSeconds or readOnly');
export const modTermsPayload = z
  .strictObject({
    roomId: roomIdSchema,
    add: z.array(termSchema).max(50).default([]),
    remove: z.array(termSchema).max(50).default([]),
  });
export const modClosePayload = modBanPayload;
export const modAppointPayload = z.strictObject({ roomId: roomIdSchema, userId: userIdSchema, remove: z.boolean().default(false) });

export const loginBody = z.strictObject({
  login: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

export type ModDeletePayload = z.input<typeof modDeletePayload>;
export type ModTimeoutPayload = z.input<typeof modTimeoutPayload>;
export type ModBanPayload = z.input<typeof modBanPayload>;
export type ModPurgePayload = z.input<typeof modPurgePayload>;
export type ModSettingsPayload = z.input<typeof modSettingsPayload>;
export type ModTermsPayload = z.input<typeof modTermsPayload>;
export type ModAppointPayload = z.input<typeof modAppointPayload>;

/** Lower-case, compatibility-folded text so "ＢＡＤ" and "bad" match the same term. */
export function normalizeForMatch(text: string): string {
  return stripControl(text).normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
}

export interface SanctionRecord {
  id: string;
  userId: string;
  userName: string | null;
  kind: 'timeout' | 'ban';
  until: string | null;
  reason: string | null;
  createdBy: string;
  createdAt: string;
}

export interface AuditRecord {
  id: string;
  actorId: string;
  actorName: string;
  action: string;
  targetId: string | null;
  detail: Record<string, unknown> | null;
  reason: string | null;
  at: string;
}

export interface BlockedTerms {
  roomId: string;
  room: string[];
  /** Terms blocked in every room (read-only here). */
  global: string[];
}

/** Live numbers of one room. */
export interface RoomStats {
  roomId: string;
  /** The seed's PV counter: one per room entry (join). */
  pageViews: number;
  /** Distinct signed-in viewers who entered (approximate above ~10k: HyperLogLog). */
  uniqueViewers: number;
  online: { connections: number; users: number };
  peakOnline: { connections: number; at: string | null };
  commentsTotal: number;
  /** Sliding 60 s estimate from per-minute buckets. */
  commentsPerMinute: number;
  uniqueChatters: number;
  rateLimitHits: number;
  moderationActions: number;
}

export interface TopChatter {
  userId: string;
  name: string;
  comments: number;
}

/**
 * One minute of a room's activity. `minute` is the start of the minute: ISO in the API (the default), a
 * number (epoch ms) or a Date where the server computes and stores the rollups (server/stats).
 */
export interface StatsPoint<Minute extends string | number | Date = string> {
  minute: Minute;
  comments: number;
  joins: number;
  onlinePeak: number;
  rateLimited: number;
}

export interface ModRoomRow {
  id: string;
  title: string;
  slowModeSeconds: number;
  readOnly: boolean;
  stats: RoomStats;
}

export interface ModRoomDetail extends ModRoomRow {
  ownerId: string | null;
  topChatters: TopChatter[];
  series: StatsPoint[];
  audit: AuditRecord[];
  sanctions: SanctionRecord[];
  terms: BlockedTerms;
}

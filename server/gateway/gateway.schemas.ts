import { z } from 'zod';
import { LIMITS } from '../../shared/limits.ts';
import { roomIdSchema } from '../../shared/schemas.ts';
import { streamStatusSchema } from '../../shared/stream.ts';

/**
 * Request and response shapes of the push API (GatewayWorker's Gateway calls). The route handlers
 * validate with them, server/gateway/http/openapi.ts describes the API from them and the typed HTTP client
 * takes its types from them, so the three cannot drift apart.
 */

/** A Socket.IO connection id (GatewayWorker's client_id). */
export const clientIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'a connection id as sent in `init`');
/** Any group name; live rooms are the groups named by their slug. */
export const groupSchema = z.string().min(1).max(LIMITS.slugMaxChars * 2).regex(/^[^\s]+$/, 'no whitespace');
export const uidSchema = z.string().min(1).max(128).regex(/^[^\s]+$/, 'no whitespace');

/** Any JSON value. Bodies arrive through JSON.parse, so nothing else can reach the schema. */
const jsonValue = z.unknown();

const listOf = <T extends z.ZodType>(item: T, max = 1_000) => z.array(item).min(1).max(max);

export const noticeSchema = z.strictObject({
  /** `announcement` shows a banner on the room page; the others show as a toast. */
  kind: z.enum(['announcement', 'info', 'warning', 'error']),
  text: z.string().trim().min(1).max(LIMITS.commentMaxChars),
  /** Only the page of this room shows it; without it every room page does. */
  roomId: roomIdSchema.optional(),
});

/**
 * What to deliver: a `push` event ({event, data, sentAt}) and/or a `notice`. At least one of the two.
 */
export const messageSchema = z
  .strictObject({
    event: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : -').optional(),
    data: jsonValue.optional(),
    notice: noticeSchema.optional(),
  })
  .refine((m) => m.event !== undefined || m.notice !== undefined, 'give an event, a notice or both');

export const sendToClientBody = z.strictObject({ clientId: clientIdSchema, message: messageSchema });
export const sendToUidBody = z.strictObject({ uids: listOf(uidSchema), message: messageSchema });
export const sendToGroupBody = z.strictObject({
  groups: listOf(groupSchema),
  message: messageSchema,
  /** Connections that must not receive it (e.g. the sender's own). */
  exclude: z.array(clientIdSchema).max(1_000).optional(),
});
export const sendToAllBody = z.strictObject({
  message: messageSchema,
  /** Only these connections (GatewayWorker's client_id_array); everyone when absent. */
  clientIds: listOf(clientIdSchema).optional(),
  exclude: z.array(clientIdSchema).max(1_000).optional(),
});
export const groupMembershipBody = z.strictObject({ clientId: clientIdSchema, group: groupSchema });
export const ungroupBody = z.strictObject({ group: groupSchema });
export const uidBindingBody = z.strictObject({ clientId: clientIdSchema, uid: uidSchema });
export const sessionBody = z.record(z.string().max(64), jsonValue);
export const closeClientBody = z.strictObject({ message: jsonValue.optional() });
export const announcementBody = z.strictObject({ text: noticeSchema.shape.text });

export const clientParams = z.strictObject({ clientId: clientIdSchema });
export const uidParams = z.strictObject({ uid: uidSchema });
export const groupParams = z.strictObject({ group: groupSchema });
export const roomParams = z.strictObject({ roomId: roomIdSchema });

export type GatewayMessage = z.output<typeof messageSchema>;
export type Session = z.output<typeof sessionBody>;

/** `partial: true` when some instance did not answer in time: lists and counts may be short. */
const partial = z.boolean();

export const sentResult = z.object({ sentAt: z.string() });
export const appliedResult = z.object({ applied: z.literal(true) });
export const clientInfo = z.object({
  clientId: z.string(),
  online: z.boolean(),
  uid: z.string().nullable(),
  groups: z.array(z.string()),
  partial,
});
export const uidInfo = z.object({ uid: z.string(), online: z.boolean(), clientIds: z.array(z.string()), partial });
export const groupInfo = z.object({
  group: z.string(),
  connections: z.number().int(),
  users: z.number().int(),
  clientIds: z.array(z.string()),
  uids: z.array(z.string()),
  partial,
});
export const groupSessions = z.object({ group: z.string(), sessions: z.record(z.string(), sessionBody), partial });
export const sessionResult = z.object({ clientId: z.string(), session: sessionBody });
export const overallStats = z.object({
  connections: z.number().int(),
  users: z.number().int(),
  clientIds: z.array(z.string()),
  uids: z.array(z.string()),
  groups: z.array(z.object({ group: z.string(), connections: z.number().int(), users: z.number().int() })),
  partial,
});

/** A room's stream as stored (shared/stream.ts StreamState). */
export const streamResult = z.object({
  kind: z.enum(['hls', 'embed']).nullable(),
  url: z.string().nullable(),
  status: streamStatusSchema,
  updatedAt: z.string().nullable(),
});

export type SentResult = z.output<typeof sentResult>;
export type AppliedResult = z.output<typeof appliedResult>;
export type ClientInfo = z.output<typeof clientInfo>;
export type UidInfo = z.output<typeof uidInfo>;
export type GroupInfo = z.output<typeof groupInfo>;
export type GroupSessions = z.output<typeof groupSessions>;
export type SessionResult = z.output<typeof sessionResult>;
export type OverallStats = z.output<typeof overallStats>;

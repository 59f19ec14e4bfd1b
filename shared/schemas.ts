import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { AppError, type FieldIssue } from './errors.ts';

/**
 * Zod schemas for every client→server payload. The browser imports them to pre-check input; the server
 * enforces them. Comment text has its own normaliser because empty/too-long map to dedicated codes.
 */

// C0/C1 control characters except tab/newline, plus bidi overrides that let a name pose as another.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

export function stripControl(text: string): string {
  return text.replace(CONTROL_CHARS, '');
}

/** Code points, so an emoji counts as one character, as a viewer would count it. */
export function visibleLength(text: string): number {
  return [...text].length;
}

export type CommentCheck = { ok: true; content: string } | { ok: false; code: 'empty_comment' | 'comment_too_long'; message: string };

export function normalizeComment(raw: string): CommentCheck {
  const content = stripControl(raw).replace(/[\t\r\n]+/g, ' ').trim();
  if (content.length === 0) return { ok: false, code: 'empty_comment', message: 'Write something first.' };
  if (visibleLength(content) > LIMITS.commentMaxChars) {
    return { ok: false, code: 'comment_too_long', message: `Comments are at most ${LIMITS.commentMaxChars} characters.` };
  }
  return { ok: true, content };
}

export const displayNameSchema = z
  .string()
  .transform((s) => stripControl(s).replace(/\s+/g, ' ').trim())
  .refine((s) => visibleLength(s) >= 1, 'Pick a name of at least one visible character')
  .refine((s) => visibleLength(s) <= LIMITS.nameMaxChars, `Names are at most ${LIMITS.nameMaxChars} characters`);

export const slugSchema = z
  .string()
  .min(1)
  .max(LIMITS.slugMaxChars)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase letters, digits and single dashes');

export const roomIdSchema = slugSchema;
export const seqSchema = z.number().int().min(0).max(2 ** 31 - 1);
export const clientMsgIdSchema = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -');

export const joinPayload = z.strictObject({
  roomId: roomIdSchema,
  /** Last sequence the client has seen in this room; the server replays what came after. */
  lastSeq: seqSchema.nullish(),
});

export const leavePayload = z.strictObject({ roomId: roomIdSchema });

export const sayPayload = z.strictObject({
  roomId: roomIdSchema,
  // Length is checked after normalising; this bound only keeps absurd strings out of the normaliser.
  content: z.string().max(LIMITS.commentMaxChars * 4),
  clientMsgId: clientMsgIdSchema,
  /** Protocol 3: the seq of the comment this one replies to (an earlier comment of the same room). */
  replyTo: seqSchema.min(1).nullish(),
});

export const historyPayload = z
  .strictObject({
    roomId: roomIdSchema,
    beforeSeq: seqSchema.optional(),
    afterSeq: seqSchema.optional(),
    limit: z.number().int().min(1).max(LIMITS.historyMaxPage).optional(),
  })
  .refine((p) => p.beforeSeq === undefined || p.afterSeq === undefined, 'give beforeSeq or afterSeq, not both');

export const createRoomBody = z.strictObject({
  title: z
    .string()
    .transform((s) => stripControl(s).replace(/\s+/g, ' ').trim())
    .refine((s) => s.length >= 1 && visibleLength(s) <= LIMITS.roomTitleMaxChars, `1 to ${LIMITS.roomTitleMaxChars} characters`),
  slug: slugSchema.optional(),
});

export const sessionBody = z.strictObject({ name: displayNameSchema });

export function slugify(title: string): string {
  return (
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, LIMITS.slugMaxChars)
      .replace(/-+$/g, '') || 'room'
  );
}

export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

/** Parses or throws AppError('invalid_payload') with field issues. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError('invalid_payload', 'The request is not shaped as expected.', { issues: zodIssues(result.error) });
  }
  return result.data;
}

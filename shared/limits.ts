/** Limits shared by the browser (pre-checks) and the server (enforcement). */
export const LIMITS = {
  commentMaxChars: 500,
  nameMaxChars: 32,
  roomTitleMaxChars: 80,
  slugMaxChars: 64,
  historyPageSize: 50,
  historyMaxPage: 200,
  /** Largest accepted socket event payload (serialized); bigger ones get payload_too_large. */
  eventMaxBytes: 8 * 1024,
  /** Transport hard cap: above this engine.io closes the connection (the limit above answers first). */
  transportMaxBytes: 64 * 1024,
  onlineListMax: 100,
  /** Most `@mentions` listed per comment in the protocol (the text may hold more). */
  mentionsMax: 10,
} as const;

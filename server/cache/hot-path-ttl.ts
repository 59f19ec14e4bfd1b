/**
 * How long rooms, room rules, sanctions and appointments stay cached on the comment path. Every change
 * drops its entries at once (moderation's invalidation; on every instance through Redis), so the TTL
 * only bounds how stale an entry can get when an invalidation is lost: with several instances, that is
 * a Redis outage, so keep it short; alone, every change runs in this process and the TTL only bounds
 * memory. Measured in the small-rooms bench (100 rooms, one instance): at 5 s the refills were 0.27
 * queries per comment, each a full Prisma query.
 */
export const hotPathTtlMs = (clustered: boolean): number => (clustered ? 5_000 : 60_000);

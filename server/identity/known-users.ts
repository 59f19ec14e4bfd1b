/**
 * Ids of users whose row this process has seen committed. Comments reference their author's row, so
 * every writer that would otherwise make sure the row exists first asks here: the user repository's
 * `ensure` and the comment insert, which creates only unknown authors' rows in the same statement.
 * One set for both, so a sighting by either serves the other.
 *
 * Bounded: past `max` ids it starts over; a miss costs one idempotent insert. `forgetAll` is for a row
 * found gone behind this process's back (a wiped or restored database): everyone is checked again.
 */
export class KnownUsers {
  private readonly ids = new Set<string>();

  constructor(private readonly max = 100_000) {}

  has(userId: string): boolean {
    return this.ids.has(userId);
  }

  add(userId: string): void {
    if (this.ids.size >= this.max) this.ids.clear();
    this.ids.add(userId);
  }

  forgetAll(): void {
    this.ids.clear();
  }
}

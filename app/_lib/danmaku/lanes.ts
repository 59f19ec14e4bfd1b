/**
 * Where the next danmaku comment goes, or whether it is dropped.
 *
 * Every comment crosses the stage right to left at the same speed (px/s), so two comments in one lane
 * can never catch up with each other: a lane is free again as soon as the last comment's tail has come
 * in from the right edge plus a gap. A comment is placed in the topmost lane free now; when none is,
 * it is DROPPED, never queued, so a burst costs the moment it happens and the overlay never runs minutes
 * behind the chat. Pure (time is passed in), so it is unit-tested without a browser.
 */
export interface LaneOptions {
  /** Lanes available (the area's height ÷ the lane height, times density). */
  lanes: number;
  /** Width of the stage, px: where comments enter. */
  stageWidth: number;
  /** Horizontal speed, px per second. */
  speed: number;
  /** Clear space kept between two comments of a lane, px. */
  gap: number;
}

export interface Placement {
  lane: number;
  /** How long the comment takes to cross the stage and leave it, ms. */
  durationMs: number;
}

export class LaneAllocator {
  /** Per lane: when (ms) it accepts its next comment. */
  private freeAt: number[] = [];
  shown = 0;
  dropped = 0;

  constructor(private opts: LaneOptions) {
    this.freeAt = Array.from({ length: Math.max(0, opts.lanes) }, () => 0);
  }

  /** New size or settings. Lanes beyond the new count are forgotten; comments in flight finish as they are. */
  configure(opts: LaneOptions): void {
    const lanes = Math.max(0, opts.lanes);
    this.freeAt = Array.from({ length: lanes }, (_, i) => this.freeAt[i] ?? 0);
    this.opts = opts;
  }

  get lanes(): number {
    return this.freeAt.length;
  }

  /** Takes a lane for a comment `width` px wide entering at `now`, or returns null: the comment is dropped. */
  place(width: number, now: number): Placement | null {
    const { speed, stageWidth, gap } = this.opts;
    if (speed <= 0 || stageWidth <= 0) {
      this.dropped++;
      return null;
    }
    for (let lane = 0; lane < this.freeAt.length; lane++) {
      if ((this.freeAt[lane] ?? Infinity) > now) continue;
      this.freeAt[lane] = now + ((width + gap) / speed) * 1000;
      this.shown++;
      return { lane, durationMs: ((stageWidth + width) / speed) * 1000 };
    }
    this.dropped++;
    return null;
  }

  /** Every lane free at once (the stage was cleared). */
  reset(): void {
    this.freeAt.fill(0);
  }
}

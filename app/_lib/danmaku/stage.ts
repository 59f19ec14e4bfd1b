import type { Comment } from '@/shared/contract';
import { LaneAllocator } from './lanes';
import { AREA_SHARE, CROSS_SECONDS, DENSITY_SHARE, isHidden, type DanmakuSettings } from './settings';

const FONT_PX = 22;
const LANE_PX = 32;
const GAP_PX = 28;
/** Seqs remembered to drop the second copy of a comment (the sender gets it from its ack and the frame). */
const SEEN_MAX = 2_000;

interface Flying {
  el: HTMLElement;
  anim: Animation;
}

/**
 * The danmaku layer of one player: places each live comment in a lane (LaneAllocator) and flies it
 * with a compositor-driven transform (Web Animations, linear translate3d), so the main thread does no
 * per-frame work. One element per comment on screen, removed when it has crossed; a deleted comment's
 * element is removed at once. Text widths come from a canvas measure, not from layout, so a burst
 * never forces a reflow per comment.
 */
export class DanmakuStage {
  private readonly lanes = new LaneAllocator({ lanes: 0, stageWidth: 0, speed: 0, gap: GAP_PX });
  private readonly flying = new Map<number, Flying>();
  private readonly seen = new Set<number>();
  private readonly measure: CanvasRenderingContext2D | null;
  private width = 0;
  private height = 0;

  constructor(
    private readonly root: HTMLElement,
    private settings: DanmakuSettings,
    private selfId: string | null,
  ) {
    this.measure = document.createElement('canvas').getContext('2d');
    if (this.measure) this.measure.font = `600 ${FONT_PX}px ${getComputedStyle(root).fontFamily || 'sans-serif'}`;
  }

  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.configure();
  }

  update(settings: DanmakuSettings, selfId: string | null): void {
    this.settings = settings;
    this.selfId = selfId;
    this.configure();
    if (!settings.enabled) this.clear();
  }

  private configure(): void {
    const areaLanes = Math.floor((this.height * AREA_SHARE[this.settings.area]) / LANE_PX);
    this.lanes.configure({
      lanes: Math.max(1, Math.floor(areaLanes * DENSITY_SHARE[this.settings.density])),
      stageWidth: this.width,
      speed: this.width / CROSS_SECONDS[this.settings.speed],
      gap: GAP_PX,
    });
    this.report();
  }

  add(comments: readonly Comment[]): void {
    if (!this.settings.enabled) return;
    const now = performance.now();
    for (const c of comments) {
      if (this.seen.has(c.seq)) continue;
      this.remember(c.seq);
      if (isHidden(c.content, this.settings.hiddenWords)) continue;
      const text = c.content;
      const width = Math.ceil(this.measure?.measureText(text).width ?? text.length * FONT_PX * 0.6) + 8;
      const at = this.lanes.place(width, now);
      if (!at) continue;
      this.fly(c, text, width, at.lane, at.durationMs);
    }
    this.report();
  }

  /** A moderator deleted these: gone from the overlay at once. */
  remove(seqs: readonly number[]): void {
    for (const seq of seqs) {
      this.remember(seq); // a late copy (the ack after the deletion) must not bring it back
      const f = this.flying.get(seq);
      if (!f) continue;
      f.anim.cancel();
      f.el.remove();
      this.flying.delete(seq);
    }
    this.report();
  }

  clear(): void {
    for (const f of this.flying.values()) {
      f.anim.cancel();
      f.el.remove();
    }
    this.flying.clear();
    this.lanes.reset();
    this.report();
  }

  private fly(c: Comment, text: string, width: number, lane: number, durationMs: number): void {
    const el = document.createElement('span');
    el.className = c.userId === this.selfId ? 'danmaku__item danmaku__item--own' : 'danmaku__item';
    el.textContent = text;
    el.dataset.seq = String(c.seq);
    el.style.top = `${lane * LANE_PX}px`;
    this.root.appendChild(el);
    const anim = el.animate(
      [{ transform: `translate3d(${this.width}px,0,0)` }, { transform: `translate3d(${-width}px,0,0)` }],
      { duration: durationMs, easing: 'linear', fill: 'both' },
    );
    this.flying.set(c.seq, { el, anim });
    anim.onfinish = () => {
      el.remove();
      this.flying.delete(c.seq);
      this.report();
    };
  }

  private remember(seq: number): void {
    this.seen.add(seq);
    if (this.seen.size > SEEN_MAX) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }

  /** Counters on the element, for the curious and for the e2e tests. */
  private report(): void {
    this.root.dataset.lanes = String(this.lanes.lanes);
    this.root.dataset.shown = String(this.lanes.shown);
    this.root.dataset.dropped = String(this.lanes.dropped);
    this.root.dataset.flying = String(this.flying.size);
  }
}

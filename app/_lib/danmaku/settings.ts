/** A viewer's danmaku choices, remembered in local storage (per browser, every room). */
export interface DanmakuSettings {
  enabled: boolean;
  /** Share of the area's lanes used. */
  density: 'low' | 'normal' | 'high';
  /** 0.2 … 1 */
  opacity: number;
  speed: 'slow' | 'normal' | 'fast';
  /** The part of the video comments may cross, from the top. */
  area: 'top' | 'half' | 'full';
  /** The viewer's own hidden words: comments containing one are never shown (case-insensitive). */
  hiddenWords: string[];
}

export const DEFAULT_DANMAKU: DanmakuSettings = { enabled: true, density: 'normal', opacity: 0.9, speed: 'normal', area: 'half', hiddenWords: [] };

export const DENSITY_SHARE: Record<DanmakuSettings['density'], number> = { low: 0.34, normal: 0.67, high: 1 };
export const AREA_SHARE: Record<DanmakuSettings['area'], number> = { top: 0.25, half: 0.5, full: 1 };
/** Seconds a comment takes to cross the stage: readable at normal, still legible at fast. */
export const CROSS_SECONDS: Record<DanmakuSettings['speed'], number> = { slow: 12, normal: 8, fast: 5.5 };

const KEY = 'liveroom:danmaku';

export function loadDanmakuSettings(): DanmakuSettings {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<DanmakuSettings> | null;
    if (!raw || typeof raw !== 'object') return DEFAULT_DANMAKU;
    return sanitize({ ...DEFAULT_DANMAKU, ...raw });
  } catch {
    return DEFAULT_DANMAKU;
  }
}

export function saveDanmakuSettings(s: DanmakuSettings): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    // Private mode or full storage: the choice lasts for this page only.
  }
}

/** Whatever an old version or a hand edit left in storage becomes a valid setting. */
function sanitize(s: DanmakuSettings): DanmakuSettings {
  const pick = <T extends string>(v: unknown, allowed: readonly T[], d: T): T => (allowed.includes(v as T) ? (v as T) : d);
  return {
    enabled: s.enabled !== false,
    density: pick(s.density, ['low', 'normal', 'high'], DEFAULT_DANMAKU.density),
    opacity: typeof s.opacity === 'number' && s.opacity >= 0.2 && s.opacity <= 1 ? s.opacity : DEFAULT_DANMAKU.opacity,
    speed: pick(s.speed, ['slow', 'normal', 'fast'], DEFAULT_DANMAKU.speed),
    area: pick(s.area, ['top', 'half', 'full'], DEFAULT_DANMAKU.area),
    hiddenWords: Array.isArray(s.hiddenWords) ? s.hiddenWords.filter((w): w is string => typeof w === 'string' && w.trim() !== '').slice(0, 50) : [],
  };
}

/** True when the viewer hid a word this text contains. */
export function isHidden(text: string, hiddenWords: readonly string[]): boolean {
  if (hiddenWords.length === 0) return false;
  const lower = text.toLowerCase();
  return hiddenWords.some((w) => lower.includes(w.trim().toLowerCase()));
}

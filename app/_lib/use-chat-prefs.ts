'use client';
import { useSyncExternalStore } from 'react';

/** Feed display preferences, remembered in local storage for every room. */
export interface ChatPrefs {
  /** One line per comment: name, time and text side by side. */
  compact: boolean;
  /** Leave "X entered" lines out of the feed. */
  hideJoins: boolean;
}

const KEY = 'liveroom:chat-prefs';
const DEFAULTS: ChatPrefs = { compact: false, hideJoins: false };
const listeners = new Set<() => void>();
let cached: ChatPrefs | null = null;

function read(): ChatPrefs {
  if (cached) return cached;
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<ChatPrefs>;
    cached = { compact: raw.compact === true, hideJoins: raw.hideJoins === true };
  } catch {
    cached = DEFAULTS;
  }
  return cached;
}

export function setChatPrefs(patch: Partial<ChatPrefs>): void {
  cached = { ...read(), ...patch };
  try {
    localStorage.setItem(KEY, JSON.stringify(cached));
  } catch {
    // storage full or blocked (a sandboxed iframe): the choice lasts for this page only
  }
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The server renders the defaults; the stored choice applies right after hydration. */
export function useChatPrefs(): ChatPrefs {
  return useSyncExternalStore(subscribe, read, () => DEFAULTS);
}

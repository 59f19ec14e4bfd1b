'use client';
import { useCallback, useEffect, useState } from 'react';
import type { RoomView } from '@/app/_lib/room-client';
import { DEFAULT_DANMAKU, loadDanmakuSettings, saveDanmakuSettings, type DanmakuSettings } from '@/app/_lib/danmaku/settings';

const THEATRE_KEY = 'liveroom:theatre';

/** Whether the room shows a stage at all: a source, or a viewer who can set one. */
export function hasStage(view: RoomView): boolean {
  const room = view.room;
  if (!room) return false;
  return room.stream.kind !== null || canManageStream(view);
}

export function canManageStream(view: Pick<RoomView, 'room' | 'you'>): boolean {
  const you = view.you;
  return Boolean(you && view.room && (view.room.ownerId === you.id || you.role === 'admin'));
}

/** Theatre mode (a bigger player, narrower chat), remembered per browser. */
export function useTheatre(): [boolean, () => void] {
  const [theatre, setTheatre] = useState(false);
  // After hydration: the server-rendered page cannot know the stored choice.
  useEffect(() => setTheatre(localStorage.getItem(THEATRE_KEY) === '1'), []);
  const toggle = useCallback(() => {
    setTheatre((t) => {
      localStorage.setItem(THEATRE_KEY, t ? '0' : '1');
      return !t;
    });
  }, []);
  return [theatre, toggle];
}

export function useDanmakuSettings(): [DanmakuSettings, (s: DanmakuSettings) => void] {
  const [settings, setSettings] = useState(DEFAULT_DANMAKU);
  useEffect(() => setSettings(loadDanmakuSettings()), []);
  const change = useCallback((s: DanmakuSettings) => {
    saveDanmakuSettings(s);
    setSettings(s);
  }, []);
  return [settings, change];
}

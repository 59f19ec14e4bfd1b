'use client';
import { useEffect, useRef } from 'react';
import type { RoomClient } from '@/app/_lib/room-client';
import { DanmakuStage } from '@/app/_lib/danmaku/stage';
import type { DanmakuSettings } from '@/app/_lib/danmaku/settings';

/**
 * Positioned over the player (video or embed iframe alike) and transparent to the pointer, so the
 * player's own controls stay usable. Follows the room's live comments and deletions.
 */
export function DanmakuOverlay({ client, settings, selfId }: { client: RoomClient; settings: DanmakuSettings; selfId: string | null }) {
  const ref = useRef<HTMLDivElement>(null);
  const stage = useRef<DanmakuStage | null>(null);

  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const s = new DanmakuStage(root, settings, selfId);
    stage.current = s;
    const observer = new ResizeObserver(([entry]) => entry && s.resize(entry.contentRect.width, entry.contentRect.height));
    observer.observe(root);
    const off = client.onLive((e) => (e.kind === 'comments' ? s.add(e.comments) : s.remove(e.seqs)));
    return () => {
      off();
      observer.disconnect();
      s.clear();
      stage.current = null;
    };
    // Settings and identity are applied by the effect below; the stage itself lives as long as the client.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client]);

  useEffect(() => stage.current?.update(settings, selfId), [settings, selfId]);

  return (
    <div
      ref={ref}
      className="danmaku"
      data-testid="danmaku"
      data-enabled={settings.enabled}
      style={{ opacity: settings.opacity, visibility: settings.enabled ? 'visible' : 'hidden' }}
      aria-hidden="true"
    />
  );
}

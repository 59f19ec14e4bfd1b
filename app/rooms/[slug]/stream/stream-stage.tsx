'use client';
import { useState } from 'react';
import type { RoomClient, RoomView } from '@/app/_lib/room-client';
import { DanmakuOverlay } from './danmaku-overlay';
import { DanmakuSettingsPanel } from './danmaku-settings';
import { StreamControls } from './stream-controls';
import { StreamPlayer } from './stream-player';
import { canManageStream, useDanmakuSettings } from './use-stream-layout';
import './stream.css';

const STATUS_NOTE = { offline: 'The stream is offline', ended: 'The stream has ended' } as const;

/** The player, its danmaku overlay and toolbar, and (for the owner) the stream controls. */
export function StreamStage({ view, client, theatre, onTheatre }: { view: RoomView; client: RoomClient; theatre: boolean; onTheatre: () => void }) {
  const [settings, setSettings] = useDanmakuSettings();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const room = view.room;
  if (!room) return null;
  const stream = room.stream;
  return (
    <section className="stage" aria-label="Stream" data-testid="stage">
      <div className="player" data-kind={stream.kind ?? 'none'}>
        <StreamPlayer stream={stream} />
        <DanmakuOverlay client={client} settings={settings} selfId={view.you?.id ?? null} />
        {stream.kind !== null && stream.status !== 'live' && (
          <div className="player__note" data-testid="player-note">{STATUS_NOTE[stream.status]}</div>
        )}
      </div>
      <div className="stage__bar">
        <label className="stage__toggle">
          <input
            type="checkbox"
            checked={settings.enabled}
            onChange={(e) => setSettings({ ...settings, enabled: e.target.checked })}
            data-testid="danmaku-toggle"
          />
          Danmaku
        </label>
        <button type="button" className="btn btn--small btn--ghost" aria-expanded={settingsOpen} onClick={() => setSettingsOpen((o) => !o)} data-testid="danmaku-settings-toggle">
          Settings
        </button>
        <button type="button" className="btn btn--small btn--ghost" aria-pressed={theatre} onClick={onTheatre} data-testid="theatre-toggle">
          {theatre ? 'Default view' : 'Theatre'}
        </button>
        {settingsOpen && <DanmakuSettingsPanel settings={settings} onChange={setSettings} />}
      </div>
      {canManageStream(view) && <StreamControls key={stream.url ?? ''} roomId={room.id} stream={stream} />}
    </section>
  );
}

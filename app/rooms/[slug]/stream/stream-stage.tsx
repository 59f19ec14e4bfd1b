'use client';
import { useTranslations } from 'next-intl';
import { memo, useState } from 'react';
import type { RoomClient } from '@/app/_lib/room-client';
import type { PublicUser, RoomSummary } from '@/shared/contract';
import { DanmakuOverlay } from './danmaku-overlay';
import { DanmakuSettingsPanel } from './danmaku-settings';
import { StreamControls } from './stream-controls';
import { StreamPlayer } from './stream-player';
import { canManageStream, useDanmakuSettings } from './use-stream-layout';
import './stream.css';

/**
 * The player, its danmaku overlay and toolbar, and (for the owner) the stream controls. Memoised on the
 * room and the viewer: comments reach the overlay through `client.onLive`, not through renders here.
 */
export const StreamStage = memo(function StreamStage({
  room,
  you,
  client,
  theatre,
  onTheatre,
}: {
  room: RoomSummary;
  you: PublicUser | null;
  client: RoomClient;
  theatre: boolean;
  onTheatre: () => void;
}) {
  const [settings, setSettings] = useDanmakuSettings();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const t = useTranslations('Stream');
  const stream = room.stream;
  return (
    <section className="stage" aria-label={t('label')} data-testid="stage">
      <div className="player" data-kind={stream.kind ?? 'none'}>
        <StreamPlayer stream={stream} />
        <DanmakuOverlay client={client} settings={settings} selfId={you?.id ?? null} />
        {stream.kind !== null && stream.status !== 'live' && (
          <div className="player__note" data-testid="player-note">{stream.status === 'ended' ? t('noteEnded') : t('noteOffline')}</div>
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
          {t('danmaku')}
        </label>
        <button type="button" className="btn btn--small btn--ghost" aria-expanded={settingsOpen} onClick={() => setSettingsOpen((o) => !o)} data-testid="danmaku-settings-toggle">
          {t('settings')}
        </button>
        <button type="button" className="btn btn--small btn--ghost" aria-pressed={theatre} onClick={onTheatre} data-testid="theatre-toggle">
          {theatre ? t('defaultView') : t('theatre')}
        </button>
        {settingsOpen && <DanmakuSettingsPanel settings={settings} onChange={setSettings} />}
      </div>
      {canManageStream({ room, you }) && <StreamControls key={stream.url ?? ''} roomId={room.id} stream={stream} />}
    </section>
  );
});

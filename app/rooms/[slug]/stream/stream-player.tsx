'use client';
import { useTranslations } from 'next-intl';
import { useEffect, useRef } from 'react';
import type { StreamState } from '@/shared/contract';

/**
 * The room's video: an HLS playlist through hls.js where the browser has Media Source Extensions (one
 * tested code path for every desktop browser), the browser's own HLS where it lacks them (iPhone
 * Safari); an embed in a sandboxed iframe; or nothing. The key remounts the player when the source changes.
 */
export function StreamPlayer({ stream }: { stream: StreamState }) {
  const t = useTranslations('Stream');
  if (stream.kind === 'hls' && stream.url) return <HlsVideo key={stream.url} url={stream.url} />;
  if (stream.kind === 'embed' && stream.url) return <EmbedFrame key={stream.url} url={stream.url} title={t('label')} />;
  return (
    <div className="player__empty" data-testid="player-empty">
      <span>{t('empty')}</span>
    </div>
  );
}

function HlsVideo({ url }: { url: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    let destroyed = false;
    let destroy = () => {};
    // Loaded on demand: rooms without a stream never download the player.
    void import('hls.js').then(({ default: Hls }) => {
      if (destroyed) return;
      if (Hls.isSupported()) {
        const hls = new Hls({ lowLatencyMode: true, backBufferLength: 30 });
        hls.on(Hls.Events.ERROR, (_e, data) => {
          // A fatal network error (the encoder restarted, a segment 404) is worth one more try.
          if (data.fatal && data.type === Hls.ErrorTypes.NETWORK_ERROR) hls.startLoad();
          else if (data.fatal && data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
        });
        hls.loadSource(url);
        hls.attachMedia(video);
        destroy = () => hls.destroy();
      } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
        video.src = url;
      }
      video.play().catch(() => {
        // Autoplay refused: the controls are there.
      });
    });
    return () => {
      destroyed = true;
      destroy();
    };
  }, [url]);
  return <video ref={ref} className="player__video" data-testid="player-video" data-src={url} muted autoPlay playsInline controls />;
}

/** Twitch refuses to play unless told which site frames it. */
function withParent(url: string): string {
  if (!url.startsWith('https://player.twitch.tv/')) return url;
  return `${url}&parent=${encodeURIComponent(window.location.hostname)}`;
}

function EmbedFrame({ url, title }: { url: string; title: string }) {
  return (
    <iframe
      className="player__embed"
      data-testid="player-embed"
      src={withParent(url)}
      title={title}
      // The hosts' players need scripts and their own origin; nothing else (no top navigation, no forms).
      sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"
      allow="autoplay; fullscreen; picture-in-picture; encrypted-media"
      allowFullScreen
      referrerPolicy="strict-origin-when-cross-origin"
    />
  );
}

'use client';
import { useTranslations } from 'next-intl';
import { useEffect, useId, useState } from 'react';

/** The iframe code for a stream page, for the room's owner and moderators. */
export function EmbedSnippet({ roomId }: { roomId: string }) {
  const t = useTranslations('Embed');
  const id = useId();
  const [origin, setOrigin] = useState('');
  const [copied, setCopied] = useState(false);
  useEffect(() => setOrigin(window.location.origin), []);
  const code = `<iframe src="${origin}/embed/${roomId}" title="Liveroom chat" width="360" height="640" style="border:0;max-width:100%" allow="clipboard-write"></iframe>`;
  return (
    <details className="chat-options embed-snippet">
      <summary className="btn btn--small btn--ghost" data-testid="embed-snippet-toggle">
        {t('snippetButton')}
      </summary>
      <div className="chat-options__panel embed-snippet__panel">
        <label htmlFor={id}>{t('snippetTitle')}</label>
        <textarea id={id} readOnly rows={4} value={code} data-testid="embed-snippet" onFocus={(e) => e.currentTarget.select()} />
        <p className="muted small">{t('snippetHint')}</p>
        <button
          type="button"
          className="btn btn--small"
          onClick={() => {
            void navigator.clipboard?.writeText(code).then(() => setCopied(true));
          }}
        >
          {copied ? t('copied') : t('copy')}
        </button>
      </div>
    </details>
  );
}

'use client';
import { useTranslations } from 'next-intl';
import { setChatPrefs, useChatPrefs } from '@/app/_lib/use-chat-prefs';

/** Feed display options (compact layout, join lines), remembered in this browser. */
export function ChatOptions() {
  const prefs = useChatPrefs();
  const t = useTranslations('Options');
  return (
    <details className="chat-options">
      <summary className="btn btn--small btn--ghost" data-testid="chat-options">
        <span aria-hidden="true" className="chat-options__icon">⚙</span>
        <span className="chat-options__label">{t('button')}</span>
      </summary>
      <div className="chat-options__panel">
        <label className="check">
          <input type="checkbox" checked={prefs.compact} onChange={(e) => setChatPrefs({ compact: e.target.checked })} data-testid="pref-compact" />
          {t('compact')}
        </label>
        <label className="check">
          <input type="checkbox" checked={prefs.hideJoins} onChange={(e) => setChatPrefs({ hideJoins: e.target.checked })} data-testid="pref-hide-joins" />
          {t('hideJoins')}
        </label>
      </div>
    </details>
  );
}

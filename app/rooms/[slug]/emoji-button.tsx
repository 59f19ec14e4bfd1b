'use client';
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { emojiDataSource } from '@/app/_lib/emoji';

/**
 * The emoji picker (emoji-picker-element, a web component): its code is loaded on the first open and
 * its data comes from this app (emojiDataSource), never a CDN.
 */
export function EmojiButton({ onPick, locale }: { onPick: (unicode: string) => void; locale: string }) {
  const t = useTranslations('Composer');
  const [open, setOpen] = useState(false);
  const host = useRef<HTMLDivElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  useEffect(() => {
    pick.current = onPick;
  }, [onPick]);

  useEffect(() => {
    if (!open) return;
    let picker: HTMLElement | null = null;
    let live = true;
    void import('emoji-picker-element').then(({ Picker }) => {
      if (!live || !host.current) return;
      const p = new Picker({ dataSource: emojiDataSource(locale), locale: locale === 'zh-CN' ? 'zh' : 'en' });
      p.classList.add(document.documentElement.dataset.theme === 'light' ? 'light' : 'dark');
      p.addEventListener('emoji-click', (e) => {
        if (e.detail.unicode) pick.current(e.detail.unicode);
        setOpen(false);
      });
      host.current.append(p);
      picker = p;
      // Focus the search box so typing starts searching at once.
      requestAnimationFrame(() => (p.shadowRoot?.querySelector('input') as HTMLInputElement | null)?.focus());
    });
    const outside = (e: MouseEvent) => root.current && !e.composedPath().includes(root.current) && setOpen(false);
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', outside);
    document.addEventListener('keydown', esc);
    return () => {
      live = false;
      picker?.remove();
      document.removeEventListener('mousedown', outside);
      document.removeEventListener('keydown', esc);
    };
  }, [open, locale]);

  return (
    <div className="emoji" ref={root}>
      <button
        type="button"
        className="btn btn--ghost emoji__toggle"
        aria-label={t('emoji')}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="emoji-toggle"
      >
        <span aria-hidden="true">☺</span>
      </button>
      {open && <div className="emoji__panel" ref={host} data-testid="emoji-panel" />}
    </div>
  );
}

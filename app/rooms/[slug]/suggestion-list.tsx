'use client';
import { useTranslations } from 'next-intl';
import type { Completion, Suggestion } from './use-completion';

/** The autocomplete listbox above the composer (the textarea is its combobox; see Composer). */
export function SuggestionList({ id, completion, onPick }: { id: string; completion: Completion; onPick: (item: Suggestion) => void }) {
  const t = useTranslations('Composer');
  return (
    <ul className="suggestions" role="listbox" id={id} aria-label={completion.kind === 'mention' ? t('people') : t('emojiList')} data-testid="suggestions">
      {completion.items.map((item, i) => (
        <li
          key={item.key}
          id={`${id}-${i}`}
          role="option"
          aria-selected={i === completion.active}
          className={i === completion.active ? 'suggestions__item suggestions__item--active' : 'suggestions__item'}
          // mousedown, not click: the textarea must keep focus (and its caret).
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(item);
          }}
        >
          {item.label}
          {item.hint && <span className="muted small"> {item.hint}</span>}
        </li>
      ))}
    </ul>
  );
}

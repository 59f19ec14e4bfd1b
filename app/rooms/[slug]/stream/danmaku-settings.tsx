'use client';
import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import type { DanmakuSettings } from '@/app/_lib/danmaku/settings';

type Props = { settings: DanmakuSettings; onChange: (s: DanmakuSettings) => void };

/** The viewer's danmaku choices; each change is applied and remembered at once. */
export function DanmakuSettingsPanel({ settings, onChange }: Props) {
  const id = useId();
  const t = useTranslations('Danmaku');
  const [words, setWords] = useState(settings.hiddenWords.join(', '));
  const choice = <K extends 'density' | 'speed' | 'area'>(key: K, label: string, options: [DanmakuSettings[K], string][]) => (
    <label className="danmaku-settings__row">
      <span>{label}</span>
      <select value={settings[key]} onChange={(e) => onChange({ ...settings, [key]: e.target.value as DanmakuSettings[K] })} data-testid={`danmaku-${key}`}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>{text}</option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="danmaku-settings card" role="group" aria-label={t('settings')} data-testid="danmaku-settings">
      {choice('density', t('density'), [['low', t('densityLow')], ['normal', t('densityNormal')], ['high', t('densityHigh')]])}
      {choice('speed', t('speed'), [['slow', t('speedSlow')], ['normal', t('speedNormal')], ['fast', t('speedFast')]])}
      {choice('area', t('area'), [['top', t('areaTop')], ['half', t('areaHalf')], ['full', t('areaFull')]])}
      <label className="danmaku-settings__row">
        <span>{t('opacity')}</span>
        <input
          type="range"
          min={20}
          max={100}
          step={5}
          value={Math.round(settings.opacity * 100)}
          onChange={(e) => onChange({ ...settings, opacity: Number(e.target.value) / 100 })}
          data-testid="danmaku-opacity"
        />
      </label>
      <label className="danmaku-settings__row danmaku-settings__row--wide" htmlFor={id}>
        <span>{t('hideWords')}</span>
      </label>
      <input
        id={id}
        value={words}
        placeholder={t('hideWordsPlaceholder')}
        onChange={(e) => setWords(e.target.value)}
        onBlur={() => onChange({ ...settings, hiddenWords: words.split(',').map((w) => w.trim()).filter(Boolean) })}
      />
    </div>
  );
}

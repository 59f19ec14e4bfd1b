import { describe, expect, it } from 'vitest';
import { negotiateLocale } from '../../i18n/locales.ts';
import en from '../../messages/en.json' with { type: 'json' };
import zh from '../../messages/zh-CN.json' with { type: 'json' };

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('locales', () => {
  it.each([
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['en-US,en;q=0.9', 'en'],
    ['fr-FR,zh;q=0.5', 'zh-CN'],
    ['de', 'en'],
    [null, 'en'],
  ])('Accept-Language %j reads %s', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });

  it('has the same messages in every language', () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort());
  });
});

'use client';
import { useTranslations } from 'next-intl';
import { memo } from 'react';
import { useTimeFormats } from '@/app/_lib/use-time-formats';
import type { JoinNotice } from '@/shared/contract';

/** "X entered". Memoised like the comment rows: a notice keeps its identity in the room's view. */
export const JoinLine = memo(function JoinLine({ notice }: { notice: JoinNotice }) {
  const t = useTranslations('Feed');
  const { time } = useTimeFormats();
  const list = (names: string[]) => names.join(t('listSeparator'));
  const who =
    notice.others > 0
      ? t('andOthers', { names: list(notice.names), count: notice.others })
      : notice.names.length > 1
        ? t('and', { names: list(notice.names.slice(0, -1)), last: notice.names[notice.names.length - 1] ?? '' })
        : notice.userName;
  return (
    <li className="join-line" data-testid="join-notice">
      <span>{notice.names.length + notice.others > 1 ? t('enteredMany', { who }) : t('entered', { who })}</span>
      <time dateTime={notice.joinTime} className="muted small" suppressHydrationWarning>{time.format(new Date(notice.joinTime))}</time>
    </li>
  );
});

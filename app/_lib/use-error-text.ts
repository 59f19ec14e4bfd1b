'use client';
import { useTranslations } from 'next-intl';
import { useCallback } from 'react';
import type { AckError, ErrorCode } from '@/shared/errors';

/**
 * A refusal as the page's language says it. The server's `message` is English and written for the
 * log; its `code` is the closed set of shared/errors.ts, so that is what gets translated. `own` gives a
 * page its wording for a code whose general text does not fit there (Errors.unauthenticated speaks to a
 * viewer without a name, not to a moderator whose session ended). Unknown codes keep the server's text.
 */
export function useErrorText(own?: Partial<Record<ErrorCode, string>>): (refusal: Pick<AckError, 'code' | 'message'>) => string {
  const te = useTranslations('Errors');
  return useCallback((refusal) => own?.[refusal.code] ?? (te.has(refusal.code) ? te(refusal.code) : refusal.message), [te, own]);
}

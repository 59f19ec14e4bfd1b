'use client';
import { useLocale, useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState } from 'react';
import type { RoomClient, RoomView } from '@/app/_lib/room-client';
import type { ConnectionState } from '@/app/_lib/socket';
import type { Comment, PublicUser } from '@/shared/contract';
import type { Ack } from '@/shared/errors';
import { LIMITS } from '@/shared/limits';
import { normalizeComment, visibleLength } from '@/shared/schemas';
import { NameForm } from '@/app/_components/name-form';
import { useErrorText } from '@/app/_lib/use-error-text';
import { EmojiButton } from './emoji-button';
import { excerpt } from './reply-quote';
import { SuggestionList } from './suggestion-list';
import { applySuggestion, useCompletion, type Suggestion } from './use-completion';

function useCountdown(untilMs: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (untilMs === null || untilMs <= Date.now()) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [untilMs]);
  return untilMs === null ? 0 : Math.max(0, Math.ceil((untilMs - now) / 1000));
}

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m}:${String(seconds % 60).padStart(2, '0')}` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function Composer({
  view,
  client,
  user,
  chooseName,
  connection,
  replyTo,
  onCancelReply,
}: {
  view: RoomView;
  client: RoomClient;
  user: PublicUser | null | undefined;
  chooseName: (name: string) => Promise<Ack<PublicUser>>;
  connection: ConnectionState;
  /** The comment being answered, chosen with a comment's Reply button. */
  replyTo: Comment | null;
  onCancelReply: () => void;
}) {
  const id = useId();
  const t = useTranslations('Composer');
  const te = useTranslations('Errors');
  // The server's message is English; a known code reads in the page's language.
  const errorText = useErrorText();
  const locale = useLocale();
  const input = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [blockedUntil, setBlockedUntil] = useState<number | null>(null);
  const wait = useCountdown(blockedUntil);
  const restrictionUntil = view.restriction?.until ? Date.parse(view.restriction.until) : null;
  const restrictionWait = useCountdown(restrictionUntil);
  const sending = view.outbox.some((o) => o.state === 'sending');
  const { completion, update, move, close } = useCompletion(view.presence?.list ?? [], user?.id ?? null, locale);
  const caretTo = useRef<number | null>(null);

  // A suggestion or emoji put the caret somewhere else than the end: restore it after React's render.
  useEffect(() => {
    const el = input.current;
    if (el && caretTo.current !== null) {
      el.setSelectionRange(caretTo.current, caretTo.current);
      caretTo.current = null;
    }
  }, [text]);

  useEffect(() => {
    if (replyTo) input.current?.focus();
  }, [replyTo]);

  if (user === undefined) return <div className="composer composer--placeholder" aria-hidden="true" />;
  if (user === null) {
    return (
      <div className="composer composer--identity">
        <p className="muted small">{t('watching')}</p>
        <NameForm onSubmit={chooseName} />
      </div>
    );
  }
  const restricted = view.restriction && (view.restriction.kind === 'ban' || restrictionWait > 0);
  if (restricted) {
    return (
      <div className="composer composer--blocked" role="status" data-testid="restriction">
        {view.restriction?.kind === 'ban'
          ? t('banned')
          : t('timedOut', { wait: formatWait(restrictionWait) })}
        {view.restriction?.reason ? <span className="muted"> {t('reason', { reason: view.restriction.reason })}</span> : null}
      </div>
    );
  }
  if (view.room?.readOnly && !view.canModerate) {
    return <div className="composer composer--blocked" role="status">{t('readOnly')}</div>;
  }

  const length = visibleLength(text.trim());
  const over = length > LIMITS.commentMaxChars;
  const limited = wait > 0;
  const canSend = length > 0 && !over && !limited && view.phase === 'joined';

  const submit = async () => {
    const check = normalizeComment(text);
    if (!check.ok) return setError(te(check.code));
    if (!canSend) return;
    setError(null);
    const sent = text;
    setText('');
    close();
    const answering = replyTo;
    onCancelReply();
    const result = await client.send(check.content, undefined, answering?.seq ?? null);
    if (!result.ok && result.rejected) {
      setText((current) => (current === '' ? sent : current));
      setError(errorText(result.error));
      if (result.error.retryAfterMs) setBlockedUntil(Date.now() + result.error.retryAfterMs);
    }
    input.current?.focus();
  };

  const replace = (next: string, caret: number) => {
    caretTo.current = caret;
    setText(next);
  };
  const pick = (item: Suggestion) => {
    if (!completion) return;
    const next = applySuggestion(text, completion, item);
    close();
    replace(next.text, next.caret);
    input.current?.focus();
  };
  const insertEmoji = (unicode: string) => {
    const el = input.current;
    const at = el ? el.selectionStart : text.length;
    const end = el ? el.selectionEnd : text.length;
    replace(text.slice(0, at) + unicode + text.slice(end), at + unicode.length);
    el?.focus();
  };
  const listId = `${id}-suggestions`;

  let status: React.ReactNode = null;
  if (limited) status = <span className="warn" data-testid="rate-limited">{t('slowDown', { wait: formatWait(wait) })}</span>;
  else if (error) status = <span className="error" role="alert">{error}</span>;
  else if (sending) status = <span className="muted">{t('sending')}</span>;
  else if (connection !== 'connected') status = <span className="muted">{t('offline')}</span>;
  else if (view.room && view.room.slowModeSeconds > 0) status = <span className="muted">{t('slowMode', { seconds: view.room.slowModeSeconds })}</span>;

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label htmlFor={id} className="sr-only">
        {t('label', { name: user.name })}
      </label>
      {replyTo && (
        <div className="reply-bar" data-testid="reply-bar">
          <span className="reply-bar__text">
            {t.rich('replyingTo', { name: replyTo.userName, strong: (c) => <strong>{c}</strong> })} {excerpt(replyTo.content)}
          </span>
          <button type="button" className="btn btn--small btn--ghost" onClick={onCancelReply} aria-label={t('cancelReply')}>
            ✕
          </button>
        </div>
      )}
      {completion && <SuggestionList id={listId} completion={completion} onPick={pick} />}
      <div className="composer__row">
        <textarea
          id={id}
          ref={input}
          rows={1}
          value={text}
          placeholder={t('placeholder', { name: user.name })}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={completion !== null}
          aria-controls={completion ? listId : undefined}
          aria-activedescendant={completion ? `${listId}-${completion.active}` : undefined}
          onChange={(e) => {
            setText(e.target.value);
            update(e.target.value, e.target.selectionStart, replace);
            if (error) setError(null);
          }}
          onSelect={(e) => {
            const el = e.currentTarget;
            if (completion && (el.selectionStart < completion.start || el.selectionStart > el.value.length)) close();
          }}
          onBlur={() => close()}
          onKeyDown={(e) => {
            if (completion && !e.nativeEvent.isComposing) {
              const active = completion.items[completion.active];
              if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                e.preventDefault();
                return move(e.key === 'ArrowDown' ? 1 : -1);
              }
              if ((e.key === 'Enter' || e.key === 'Tab') && active) {
                e.preventDefault();
                return pick(active);
              }
              if (e.key === 'Escape') {
                e.preventDefault();
                return close();
              }
            }
            if (e.key === 'Escape' && replyTo) return onCancelReply();
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void submit();
            }
          }}
          aria-invalid={over || undefined}
          aria-describedby={`${id}-status ${id}-count`}
          data-testid="composer-input"
        />
        <EmojiButton onPick={insertEmoji} locale={locale} />
        <button type="submit" className="btn btn--primary" disabled={!canSend} data-testid="send">
          {t('send')}
        </button>
      </div>
      <div className="composer__meta">
        <span id={`${id}-status`} aria-live="polite" className="small">
          {status}
        </span>
        <span id={`${id}-count`} className={`small counter${over ? ' counter--over' : length > LIMITS.commentMaxChars * 0.9 ? ' counter--near' : ''}`}>
          {length}/{LIMITS.commentMaxChars}
        </span>
      </div>
    </form>
  );
}

import { commentSegments } from '@/app/_lib/comment-segments';

/** A comment's text with safe links and highlighted mentions; React escapes everything else. */
export function CommentText({ content, selfName, names }: { content: string; selfName: string | null; names: readonly string[] }) {
  return (
    <>
      {commentSegments(content, selfName, names).map((s, i) =>
        s.kind === 'link' ? (
          <a key={i} href={s.href} target="_blank" rel="noopener nofollow ugc" className="comment__link">
            {s.text}
          </a>
        ) : s.kind === 'mention' ? (
          <span key={i} className={s.self ? 'mention mention--self' : 'mention'}>
            {s.text}
          </span>
        ) : (
          s.text
        ),
      )}
    </>
  );
}

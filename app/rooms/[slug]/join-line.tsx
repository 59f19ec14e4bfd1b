import type { JoinNotice } from '@/shared/contract';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export function JoinLine({ notice }: { notice: JoinNotice }) {
  const who =
    notice.others > 0
      ? `${notice.names.join(', ')} and ${notice.others} ${notice.others === 1 ? 'other' : 'others'}`
      : notice.names.length > 1
        ? `${notice.names.slice(0, -1).join(', ')} and ${notice.names[notice.names.length - 1]}`
        : notice.userName;
  return (
    <li className="join-line" data-testid="join-notice">
      <span>{who} {notice.names.length + notice.others > 1 ? 'entered' : 'entered the room'}</span>
      <time dateTime={notice.joinTime} className="muted small" suppressHydrationWarning>{timeFormat.format(new Date(notice.joinTime))}</time>
    </li>
  );
}

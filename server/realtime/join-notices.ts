import type { JoinNotice } from '../../shared/contract.ts';

const NAMES_PER_NOTICE = 5;

/**
 * Coalesces join notices per room: the first join in a quiet room is announced at once; joins during
 * the next window are folded into one "Ana, Bo and 37 others" notice, so N joins cost O(N) frames
 * instead of O(N²).
 */
export class JoinNoticeCoalescer {
  private readonly rooms = new Map<string, { names: string[]; userIds: string[]; count: number; timer: NodeJS.Timeout }>();

  constructor(
    private readonly emit: (notice: JoinNotice) => void,
    private readonly windowMs = 1_000,
  ) {}

  join(roomId: string, user: { id: string; name: string }): void {
    const open = this.rooms.get(roomId);
    if (open) {
      open.count++;
      if (open.names.length < NAMES_PER_NOTICE) {
        open.names.push(user.name);
        open.userIds.push(user.id);
      }
      return;
    }
    this.emit(notice(roomId, [user.name], user.id, 0));
    this.openWindow(roomId);
  }

  private openWindow(roomId: string): void {
    const timer = setTimeout(() => {
      const state = this.rooms.get(roomId);
      this.rooms.delete(roomId);
      if (!state || state.count === 0) return;
      this.emit(notice(roomId, state.names, state.count === 1 ? (state.userIds[0] ?? null) : null, state.count - state.names.length));
      this.openWindow(roomId);
    }, this.windowMs);
    timer.unref();
    this.rooms.set(roomId, { names: [], userIds: [], count: 0, timer });
  }

  close(): void {
    for (const s of this.rooms.values()) clearTimeout(s.timer);
    this.rooms.clear();
  }
}

function notice(roomId: string, names: string[], userId: string | null, others: number): JoinNotice {
  return {
    type: 'join',
    roomId,
    userName: names[0] ?? '',
    userId,
    msg: 'enters the Room',
    joinTime: new Date().toISOString(),
    names,
    others,
  };
}

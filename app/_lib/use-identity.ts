'use client';
import { useCallback, useEffect, useState } from 'react';
import type { PublicUser } from '@/shared/contract';
import type { Ack } from '@/shared/errors';
import { reconnectSocket } from './socket';

/** The guest identity held in the session cookie (read through the API: the cookie is httpOnly). */
export function useIdentity() {
  const [user, setUser] = useState<PublicUser | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    fetch('/api/session', { cache: 'no-store' })
      .then((r) => r.json() as Promise<Ack<PublicUser | null>>)
      .then((a) => live && setUser(a.ok ? a.data : null))
      .catch(() => live && setUser(null));
    return () => {
      live = false;
    };
  }, []);

  const chooseName = useCallback(async (name: string): Promise<Ack<PublicUser>> => {
    const res = await fetch('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    const ack = (await res.json()) as Ack<PublicUser>;
    if (ack.ok) {
      setUser(ack.data);
      // The socket authenticated at handshake time; reconnect so it carries the new identity.
      reconnectSocket();
    }
    return ack;
  }, []);

  return { user, chooseName };
}

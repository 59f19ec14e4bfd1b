'use client';
import { useCallback, useEffect, useState } from 'react';
import type { PublicUser } from '@/shared/contract';
import type { Ack } from '@/shared/errors';
import { getAck, postAck } from './api';
import { embedTokenEnabled, setEmbedToken } from './embed-token';
import { reconnectSocket } from './socket';

/** The guest identity held in the session cookie (read through the API: the cookie is httpOnly). */
export function useIdentity(initial?: PublicUser | null) {
  // `initial`: the identity the server rendered into the page (undefined: not known, ask the API).
  const [user, setUser] = useState<PublicUser | null | undefined>(initial);
  useEffect(() => {
    if (initial !== undefined) return;
    let live = true;
    getAck<PublicUser | null>('/api/session')
      .then((a) => live && setUser(a.ok ? a.data : null))
      .catch(() => live && setUser(null));
    return () => {
      live = false;
    };
  }, [initial]);

  const chooseName = useCallback(async (name: string): Promise<Ack<PublicUser>> => {
    let ack: Ack<PublicUser>;
    if (embedTokenEnabled()) {
      const signed = await postAck<{ user: PublicUser; token: string }>('/api/session?token=1', { name });
      if (signed.ok) setEmbedToken(signed.data.token);
      ack = signed.ok ? { ok: true, data: signed.data.user } : signed;
    } else {
      ack = await postAck<PublicUser>('/api/session', { name });
    }
    if (ack.ok) {
      setUser(ack.data);
      // The socket authenticated at handshake time; reconnect so it carries the new identity.
      reconnectSocket();
    }
    return ack;
  }, []);

  return { user, chooseName };
}

'use client';
import { useState } from 'react';
import type { Ack, AckError } from '@/shared/errors';

export interface AckFormOptions {
  /** The text shown for a refusal; the server's message by default. */
  describe?: (refusal: AckError) => string;
  /** The text shown when the server cannot be reached. */
  offline?: string;
  /** Stay busy after a success: the page is being left (a full navigation), the button must not come back. */
  busyAfterOk?: boolean;
}

/**
 * A form that sends one request and shows what the server refused: `busy` while the request runs,
 * `error` (a text for role="alert") after a refusal or when the server cannot be reached.
 */
export function useAckForm<T>({ describe = (refusal) => refusal.message, offline = 'Could not reach the server. Try again.', busyAfterOk = false }: AckFormOptions = {}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  /** Sends, then hands the data to `onOk` or shows the refusal. Never rejects. */
  const submit = async (send: () => Promise<Ack<T>>, onOk?: (data: T) => void): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const ack = await send();
      if (ack.ok) {
        onOk?.(ack.data);
        if (busyAfterOk) return;
      } else setError(describe(ack));
    } catch {
      setError(offline);
    }
    setBusy(false);
  };

  return { busy, error, setError, submit };
}

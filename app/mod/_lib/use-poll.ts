'use client';
import { useEffect, useRef, useState } from 'react';
import type { Ack, AckError } from '@/shared/errors';

/** Fetches an authorised console API now and every `everyMs`; keeps the last good data through blips. */
export function usePoll<T>(url: string, everyMs = 3_000) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<AckError | null>(null);
  const [status, setStatus] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  const latest = useRef(url);
  latest.current = url;

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const res = await fetch(url, { cache: 'no-store' });
        const ack = (await res.json()) as Ack<T>;
        if (!live || latest.current !== url) return;
        setStatus(res.status);
        if (ack.ok) {
          setData(ack.data);
          setError(null);
        } else setError(ack);
      } catch {
        if (live) setError({ ok: false, code: 'unavailable', message: 'Cannot reach the server; retrying.' });
      }
      if (live) timer = setTimeout(() => void load(), everyMs);
    };
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [url, everyMs, tick]);

  return { data, error, status, refresh: () => setTick((t) => t + 1) };
}

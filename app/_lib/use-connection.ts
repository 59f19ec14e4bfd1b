'use client';
import { useEffect, useState } from 'react';
import type { InitFrame } from '@/shared/contract';
import { getClosedReason, getSocket, type ConnectionState } from './socket';

/** Connection state for indicators and banners; "reconnecting" once a live connection was lost. */
export function useConnection(): { state: ConnectionState; init: InitFrame | null } {
  const [state, setState] = useState<ConnectionState>('connecting');
  const [init, setInit] = useState<InitFrame | null>(null);
  useEffect(() => {
    const s = getSocket();
    let wasConnected = s.connected;
    const onInit = (frame: InitFrame) => {
      wasConnected = true;
      setInit(frame);
      setState('connected');
    };
    const onDisconnect = () => {
      // A kick is final until the viewer chooses to reconnect; anything else reconnects by itself.
      if (getClosedReason() !== null) return setState('closed');
      setState(wasConnected ? 'reconnecting' : 'connecting');
    };
    const onError = () => setState(wasConnected ? 'reconnecting' : 'connecting');
    const onOffline = () => setState('offline');
    const onOnline = () => setState(s.connected ? 'connected' : 'reconnecting');
    s.on('init', onInit);
    s.on('disconnect', onDisconnect);
    s.on('connect_error', onError);
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    if (s.connected) setState('connected');
    return () => {
      s.off('init', onInit);
      s.off('disconnect', onDisconnect);
      s.off('connect_error', onError);
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
    };
  }, []);
  return { state, init };
}

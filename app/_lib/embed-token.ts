'use client';

/**
 * The embedded chat's session token. Inside a third-party iframe the SameSite=Lax session cookie is
 * not sent, so the embed signs in with a token handshake instead: `POST /api/session?token=1` returns
 * the signed token, kept here in sessionStorage (partitioned per top-level site by browsers, and
 * readable only by this origin's scripts, never by the host page), then sent as `Authorization: Bearer`
 * to the API and as `auth.token` in the socket handshake. Only /embed pages turn it on.
 */
const KEY = 'liveroom:embed-token';
let enabled = false;
let token: string | null = null;

export function enableEmbedToken(): void {
  enabled = true;
  try {
    token = sessionStorage.getItem(KEY);
  } catch {
    token = null; // storage blocked: the token lives as long as the page
  }
}

export function embedTokenEnabled(): boolean {
  return enabled;
}

export function getEmbedToken(): string | null {
  return enabled ? token : null;
}

export function setEmbedToken(value: string): void {
  token = value;
  try {
    sessionStorage.setItem(KEY, value);
  } catch {
    // see enableEmbedToken
  }
}

import { expect, type Browser, type Page } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';

/** A fresh browser context (its own cookies: a different viewer) with a chosen display name. */
export async function viewer(browser: Browser, name: string, baseURL?: string): Promise<Page> {
  const context = await browser.newContext(baseURL ? { baseURL } : {});
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  await page.getByLabel('Display name').fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('identity')).toContainText(name);
  return page;
}

export async function openRoom(page: Page, slug: string): Promise<void> {
  await page.goto(`/rooms/${slug}`);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('feed')).toHaveAttribute('aria-busy', 'false');
}

export async function say(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('composer-input');
  await input.fill(text);
  await input.press('Enter');
  await expect(page.getByTestId('comment').filter({ hasText: text })).toHaveCount(1);
}

/** Texts of the comments in the feed, in display order. */
export async function commentTexts(page: Page): Promise<string[]> {
  return page.locator('[data-testid="comment"] .comment__body').allInnerTexts();
}

/** A named guest's session token (the `lr_session` cookie's value), for a socket outside any page. */
export async function sessionToken(baseURL: string, name: string): Promise<string> {
  const res = await fetch(`${baseURL}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('lr_session='));
  if (!cookie) throw new Error(`no session for ${name}: ${res.status}`);
  return cookie.slice('lr_session='.length).split(';')[0]!;
}

/** A socket signed in with `token` that has joined `roomId` (for traffic no page needs to type). */
export async function roomSocket(baseURL: string, token: string, roomId: string): Promise<Socket> {
  const socket = io(baseURL, { transports: ['websocket'], auth: { token } });
  await new Promise<void>((resolve, reject) => {
    socket.once('init', () => resolve());
    socket.once('connect_error', reject);
  });
  const join = await socket.timeout(10_000).emitWithAck('join', { roomId });
  expect(join.ok).toBe(true);
  return socket;
}

/**
 * The e2e admin (global setup creates it from ADMIN_LOGIN / ADMIN_PASSWORD), signed in in a new context:
 * /mod sends a signed-out visitor to the login page first.
 */
export async function staffPage(browser: Browser, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await (await browser.newContext(viewport ? { viewport } : {})).newPage();
  await page.goto('/mod');
  await expect(page).toHaveURL(/\/mod\/login/);
  await page.getByLabel('Login').fill('e2e-admin');
  await page.getByLabel('Password').fill('e2e-admin-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/mod$/);
  await expect(page.getByRole('heading', { name: 'Rooms' })).toBeVisible();
  return page;
}

/** Creates a room through the home page's form (the address derived from `title` is `slug`) and opens it. */
export async function createRoom(page: Page, title: string, slug: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page).toHaveURL(new RegExp(`/rooms/${slug}$`));
  await openRoom(page, slug);
}

import { expect, type Browser, type Page } from '@playwright/test';

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

import { expect, test } from '@playwright/test';

test('home page shows the live connection indicator turning connected', async ({ page }) => {
  await page.goto('/');
  const indicator = page.getByTestId('connection');
  await expect(indicator).toHaveAttribute('data-state', 'connected');
  await expect(indicator).toHaveText('Connected');
  await expect(page.getByRole('heading', { name: 'Live rooms' })).toBeVisible();
  await expect(page.getByTestId('room-card').filter({ hasText: 'Main stage' })).toBeVisible();
});

test('a named viewer creates a room with a derived, editable address', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Display name').fill('Creator');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Title').fill('Launch Party 2026!');
  await expect(page.getByLabel('Address')).toHaveValue('launch-party-2026');
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page).toHaveURL(/\/rooms\/launch-party-2026$/);
  await expect(page.getByRole('heading', { name: 'Launch Party 2026!' })).toBeVisible();
  await expect(page.getByTestId('empty-room')).toBeVisible();
});

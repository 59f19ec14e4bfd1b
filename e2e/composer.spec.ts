import { expect, test } from '@playwright/test';
import { createRoom, say, viewer } from './support/helpers';

test('composer counts characters, refuses over-long text and shows the rate-limit wait', async ({ browser }) => {
  const page = await viewer(browser, 'Chatty');
  await createRoom(page, 'Composer checks', 'composer-checks');

  const input = page.getByTestId('composer-input');
  await input.fill('x'.repeat(501));
  await expect(page.getByText('501/500')).toBeVisible();
  await expect(page.getByTestId('send')).toBeDisabled();
  await input.fill('');

  // The default limit is 20 comments per 30 s per user per room.
  for (let i = 1; i <= 20; i++) await say(page, `message number ${i}`);
  await input.fill('one too many');
  await input.press('Enter');
  await expect(page.getByTestId('rate-limited')).toContainText(/you can send again in \d+ s/);
  await expect(input).toHaveValue('one too many'); // the text is given back, not lost
  await expect(page.getByTestId('comment').filter({ hasText: 'one too many' })).toHaveCount(0);
  await page.screenshot({ path: 'e2e/artifacts/rate-limited.png' });
  await page.context().close();
});

test('a watcher without a name is invited to pick one before commenting', async ({ page }) => {
  await page.goto('/rooms/main-stage');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByText('You are watching. Pick a name to comment.')).toBeVisible();
  await page.getByLabel('Display name').fill('   ');
  await page.getByRole('button', { name: 'Join the chat' }).click();
  await expect(page.locator('.field-error')).toContainText('at least one visible character');
  await page.getByLabel('Display name').fill('Late Viewer');
  await page.getByRole('button', { name: 'Join the chat' }).click();
  await expect(page.getByTestId('composer-input')).toBeVisible();
  await say(page, 'finally here');
  await page.goto('/');
  await page.screenshot({ path: 'e2e/artifacts/lobby.png' });
});

import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { openRoom, say, viewer } from './support/helpers';

/** Serious and critical axe violations on the page as it is now (WCAG 2 A/AA rules). */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('axe finds no serious or critical violations on the lobby, the room and the console, in both themes', async ({ browser }) => {
  const ann = await viewer(browser, 'Axe Ann');
  expect(await seriousViolations(ann)).toEqual([]);
  await openRoom(ann, 'main-stage');
  await say(ann, 'checking @Axe Ann https://example.org and a reply');
  expect(await seriousViolations(ann)).toEqual([]);
  await ann.getByTestId('theme-toggle').click();
  await expect(ann.locator('html')).toHaveAttribute('data-theme', /light|dark/);
  expect(await seriousViolations(ann)).toEqual([]);
  await ann.context().close();

  const staff = await (await browser.newContext()).newPage();
  await staff.goto('/mod/login');
  expect(await seriousViolations(staff)).toEqual([]);
  await staff.getByLabel('Login').fill('e2e-admin');
  await staff.getByLabel('Password').fill('e2e-admin-password');
  await staff.getByRole('button', { name: 'Sign in' }).click();
  await expect(staff).toHaveURL(/\/mod$/);
  await expect(staff.getByText('Main stage').first()).toBeVisible();
  expect(await seriousViolations(staff)).toEqual([]);
  await staff.context().close();
});

test('Accept-Language zh-CN reads Chinese, the switcher and the theme toggle are remembered', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN', colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { name: '直播间' })).toBeVisible();
  await expect(page.getByTestId('connection')).toHaveText('已连接');
  // The system asked for light: the page is light without any choice made.
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(247, 248, 250)');
  await page.getByLabel('显示名称').fill('小明');
  await page.getByRole('button', { name: '继续' }).click();
  // The session cookie must be set before the room page is requested (its HTML is rendered for the viewer).
  await expect(page.getByTestId('identity')).toContainText('小明');
  await openRoom(page, 'main-stage');
  await say(page, '大家好 :)');
  await expect(page.getByTestId('composer-input')).toHaveAttribute('placeholder', '以 小明 的身份发言…');
  await page.screenshot({ path: 'e2e/artifacts/zh-CN-light.png' });

  await page.getByTestId('language').selectOption('en');
  await expect(page.getByTestId('connection')).toHaveText('Connected');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark'); // rendered by the server from the cookie
  await context.close();
});

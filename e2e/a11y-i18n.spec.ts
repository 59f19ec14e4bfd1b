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
  await staff.screenshot({ path: 'e2e/artifacts/mod-login.png' });
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

test('the staff sign-in, the console and the room page’s moderator menu read Chinese, with refusals by code, and stay axe-clean', async ({ browser }) => {
  const slug = `zh-console-${Date.now().toString(36)}`;
  const yu = await viewer(browser, 'Yu');
  expect((await yu.request.post('/api/rooms', { data: { title: '中文控制台', slug } })).ok()).toBe(true);
  await openRoom(yu, slug);
  await say(yu, '请管理我');

  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
  const staff = await context.newPage();
  await staff.goto('/mod');
  await expect(staff).toHaveURL(/\/mod\/login/);
  await expect(staff).toHaveTitle(/工作人员登录/);
  await expect(staff.getByRole('heading', { name: '登录以管理直播间' })).toBeVisible();
  expect(await seriousViolations(staff)).toEqual([]);
  // The server refuses in English with a code; the page says it in Chinese.
  await staff.getByLabel('账号').fill('e2e-admin');
  await staff.getByLabel('密码').fill('not-the-password');
  await staff.getByRole('button', { name: '登录' }).click();
  await expect(staff.locator('.field-error')).toHaveText('账号或密码错误。');
  await staff.getByLabel('密码').fill('e2e-admin-password');
  await staff.getByRole('button', { name: '登录' }).click();
  await expect(staff).toHaveURL(/\/mod$/);
  await expect(staff.getByRole('heading', { name: '直播间', level: 1 })).toBeVisible();
  await expect(staff.getByRole('button', { name: '退出登录' })).toBeVisible();
  await expect(staff.getByTestId('rooms-table').locator('thead')).toContainText('在线');
  await expect(staff.locator(`[data-testid="room-row"][data-room="${slug}"]`)).toBeVisible();
  expect(await seriousViolations(staff)).toEqual([]);
  await staff.screenshot({ path: 'e2e/artifacts/zh-CN-console.png' });

  // The room page's moderator menu.
  await openRoom(staff, slug);
  const comment = staff.getByTestId('comment').filter({ hasText: '请管理我' });
  await comment.hover();
  await expect(comment.getByTestId('mod-delete')).toHaveText('删除');
  await comment.getByTestId('mod-menu').click();
  const menu = staff.getByRole('menu');
  await expect(menu).toContainText('禁言时长');
  await expect(menu.getByRole('menuitem', { name: '1 天', exact: true })).toBeVisible();
  await expect(staff.getByTestId('mod-reason')).toHaveAttribute('placeholder', '会告诉对方，并记入审计日志');
  expect(await seriousViolations(staff)).toEqual([]);
  await staff.screenshot({ path: 'e2e/artifacts/zh-CN-mod-menu.png' });
  await staff.getByTestId('mod-reason').fill('刷屏');
  await menu.getByRole('menuitem', { name: '10 分钟', exact: true }).click();
  await expect(staff.getByRole('status').filter({ hasText: 'Yu 已被禁言 10 分钟' })).toBeVisible();
  await expect(yu.getByTestId('restriction')).toContainText('刷屏');

  // The room's console: panels, the sanction's time left and the audit log's date, all in Chinese.
  await staff.goto(`/mod/rooms/${slug}`);
  await expect(staff).toHaveTitle(new RegExp(`控制台 · ${slug}`));
  await expect(staff.getByRole('heading', { name: '审计日志' })).toBeVisible();
  await expect(staff.getByTestId('sanctions')).toContainText(/禁言\s*Yu\s*剩余 \d+ 分钟 · 刷屏/);
  const audit = staff.getByTestId('audit-log');
  await expect(audit).toContainText('禁言了');
  await expect(audit).toContainText('10 分钟');
  await expect(audit.locator('time').first()).toHaveText(/\d+月\d+日/);
  await staff.getByTestId('slow-mode').selectOption('10');
  await expect(audit).toContainText('慢速模式 10 秒');
  expect(await seriousViolations(staff)).toEqual([]);
  await staff.screenshot({ path: 'e2e/artifacts/zh-CN-room-console.png', fullPage: true });
  await context.close();
  await yu.context().close();
});

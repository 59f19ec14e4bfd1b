import { expect, test } from '@playwright/test';
import { createRoom, say, viewer } from './support/helpers';

test('the room HTML carries the latest comments and the viewer; the socket takes over without duplicates', async ({ browser }, testInfo) => {
  const hal = await viewer(browser, 'Hal');
  await createRoom(hal, 'First paint', 'first-paint');
  for (let i = 1; i <= 5; i++) await say(hal, `server rendered comment ${i}`);

  // The HTML itself, before any script runs.
  const html = await (await hal.request.get('/rooms/first-paint')).text();
  expect(html).toContain('server rendered comment 5');
  expect(html).toContain('data-testid="identity"');
  expect(html).toContain('Hal');

  // Time to first comment, measured from navigation start (a figure, not an assertion).
  await hal.goto('/', { waitUntil: 'load' });
  await hal.goto('/rooms/first-paint', { waitUntil: 'commit' });
  await hal.getByTestId('comment').first().waitFor();
  const ms = await hal.evaluate(() => {
    const first = document.querySelector('[data-testid="comment"]');
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    return { firstContentfulPaint: Math.round(paint?.startTime ?? -1), domContentLoaded: Math.round(nav?.domContentLoadedEventEnd ?? -1), present: !!first };
  });
  console.log(`time-to-first-comment: first contentful paint ${ms.firstContentfulPaint} ms (the comments are in the HTML); DOMContentLoaded ${ms.domContentLoaded} ms`);
  testInfo.annotations.push({ type: 'time-to-first-comment', description: `${ms.firstContentfulPaint} ms (FCP)` });

  // The socket takes over: still each comment once, and live comments keep arriving.
  await expect(hal.getByTestId('feed')).toHaveAttribute('aria-busy', 'false');
  await expect(hal.getByTestId('comment').filter({ hasText: 'server rendered comment' })).toHaveCount(5);
  await say(hal, 'live after the takeover');
  const seqs = await hal.getByTestId('comment').evaluateAll((els) => els.map((e) => e.getAttribute('data-seq')));
  expect(new Set(seqs).size).toBe(seqs.length);
  await hal.context().close();
});

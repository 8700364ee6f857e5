import { test as base, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const DEMO_PASSWORD = 'mobilise-demo-2026';
export const ADMIN = 'admin@riverside.example';
export const WORKER = 'sam@riverside.example';
export const ORGANISER = 'dee@northside-garden.example';
export const RESIDENT = 'alex@resident.example';

/** Waits until the wasm has hydrated the page: the password "Show" button only appears then. */
export async function hydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** WCAG 2.2 A and AA rules from axe-core: no violations allowed. */
export async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const summary = results.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`);
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

/** Nothing may make the page scroll sideways (WCAG 1.4.10 Reflow). */
export async function expectNoSidewaysScroll(page: Page, what: string) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, `${what} is wider than the screen`).toBeLessThanOrEqual(clientWidth);
}

/**
 * Every test fails if the browser reports an error: a Content-Security-Policy violation, a
 * hydration error, a panic in the wasm. HTTP error statuses the tests provoke on purpose (401,
 * 403, 404, 422) are reported by Chromium as "Failed to load resource" and are not errors here.
 */
export const test = base.extend<{ browserErrors: void }>({
  browserErrors: [async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', m => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    page.on('pageerror', e => errors.push(e.message));
    await use();
    expect(errors, 'errors in the browser console').toEqual([]);
  }, { auto: true }],
});
export { expect };

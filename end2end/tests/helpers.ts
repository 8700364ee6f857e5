import { test as base, expect, Page, BrowserContext } from '@playwright/test';
import { createHmac } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';

export const DEMO_PASSWORD = 'mobilise-demo-2026';
export const ADMIN = 'admin@riverside.example';
export const WORKER = 'sam@riverside.example';
export const ORGANISER = 'dee@northside-garden.example';
export const RESIDENT = 'alex@resident.example';

/**
 * Waits until the page is a plain one, served without the app's code: what a resident gets,
 * signed in or not (the app's JavaScript and wasm are linked from /pkg/ in the head of every
 * other page; the stylesheet there is for all).
 */
export async function plainPage(page: Page) {
  await expect(page.locator('link[href^="/pkg/"][href$=".js"], link[href^="/pkg/"][href$=".wasm"]')).toHaveCount(0);
  await expect(page.locator('html')).not.toHaveAttribute('data-hydrated', 'true');
}

/**
 * Waits until the page is ready to use: hydrated when it carries the app (staff pages, and any
 * page on a staff member's device), loaded when it is a plain page.
 */
export async function ready(page: Page) {
  await page.waitForLoadState('load');
  if (await page.locator('link[href^="/pkg/"][href$=".js"]').count() > 0) await hydrated(page);
}

/** Waits until the wasm has hydrated the page: the password "Show" button only appears then. */
export async function hydrated(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

// The demo administrator's session, once they have signed in with password and code. Each code
// works once and only three are valid in any 30 seconds, so later stories carry on the same
// session (as Priya would stay signed in), and sign in afresh when a story has signed her out.
let adminSession: Awaited<ReturnType<ReturnType<Page['context']>['cookies']>>[number] | undefined;

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  if (email === ADMIN && adminSession && password === DEMO_PASSWORD) {
    await page.context().addCookies([adminSession]);
    await page.goto('/');
    if (await page.getByRole('heading', { level: 1, name: 'Hello, Priya' }).isVisible()) return;
  }
  // Plain on a device no staff member has signed in on yet; the app on a staff tablet.
  await page.goto('/sign-in');
  await ready(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  if (email === ADMIN) {
    await enterCode(page);
    adminSession = (await page.context().cookies()).find(c => c.name.endsWith('mobilise_session'));
  }
  // A resident's home page is loaded afresh, without the app.
  if (email === RESIDENT) await plainPage(page);
}

/** A worker has signed in and out on this device before, as on a staff tablet: the device keeps the app. */
export async function onStaffTablet(page: Page) {
  await signIn(page, WORKER);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Hello');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status')).toContainText('You have been signed out.');
  await hydrated(page);
}

/** The demo administrator's two-step verification key (README), as their authenticator app holds it. */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const out: number[] = [];
  for (const c of text.replace(/=+$/, '')) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
  }
  return Buffer.from(out);
}

/** The 6-digit code an authenticator app shows for `secret` in 30-second step `step` (RFC 6238). */
export function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', base32(secret)).update(counter).digest();
  const o = h[h.length - 1] & 15;
  const n = ((h[o] & 127) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1_000_000).padStart(6, '0');
}

// The server takes each step's code once, and the steps either side of now: several sign-ins
// in one 30 seconds use the next step's code, as a person would wait for the next one.
let lastStep = 0;

/** A code typed outside `enterCode` (turning two-step on) is used up too. */
export function codeUsed(step: number) {
  lastStep = Math.max(lastStep, step);
}

/** On the "Enter the code" page, types the app's current code, as the person would. */
export async function enterCode(page: Page, secret = DEMO_TOTP_SECRET) {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enter the code from your authenticator app');
  for (let attempt = 0; attempt < 4; attempt++) {
    const now = () => Math.floor(Date.now() / 30_000);
    let step = Math.max(now() - 1, lastStep + 1);
    // Waiting for the next code, as a person would, is not the story's own time.
    if (step > now() + 1) base.info().setTimeout(base.info().timeout + 35_000);
    while (step > now() + 1) await page.waitForTimeout(1_000);
    lastStep = step;
    await page.getByLabel('Code').fill(totp(secret, step));
    await page.getByRole('button', { name: 'Continue' }).click();
    const signedIn = page.getByRole('heading', { level: 1, name: /^Hello/ });
    const refused = page.getByRole('link', { name: /That code is not right/ });
    // One or the other, however slow the answer: trying again with no code box on the page
    // would only wait for a field that has gone.
    await expect(signedIn.or(refused)).toBeVisible({ timeout: 30_000 });
    if (await signedIn.isVisible()) return;
  }
  throw new Error('the demo administrator could not sign in with a code');
}

/** WCAG 2.2 A and AA rules from axe-core: no violations allowed. */
export async function expectAccessible(page: Page, what: string) {
  // A page reached by a native form submission can be laid out before its stylesheet has
  // arrived (Chromium computes layout for a script early); axe would then measure unstyled
  // links and buttons. Wait for the stylesheet and fonts, as a person's eye would.
  await settled(page);
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const summary = results.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`);
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

/** The document has loaded, with its stylesheets and fonts. */
async function settled(page: Page) {
  await page.waitForLoadState('load');
  await page.waitForFunction(() =>
    document.readyState === 'complete'
    && [...document.querySelectorAll('link[rel="stylesheet"]')].every(l => (l as HTMLLinkElement).sheet !== null));
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/** Nothing may make the page scroll sideways (WCAG 1.4.10 Reflow). */
export async function expectNoSidewaysScroll(page: Page, what: string) {
  await settled(page);
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
    // Each document the page loaded, so a failure says which response carried what policy.
    const documents: string[] = [];
    page.on('response', r => {
      if (r.request().resourceType() !== 'document') return;
      const csp = (r.headers()['content-security-policy'] ?? 'none').slice(0, 40);
      documents.push(`${r.status()} ${r.url()} csp=${csp} from-service-worker=${r.fromServiceWorker()}`);
    });
    page.on('console', m => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`${m.text()} (at ${m.location().url})`);
    });
    page.on('pageerror', e => errors.push(e.message));
    await use();
    expect(errors, `errors in the browser console; the documents loaded were:\n${documents.join('\n')}`).toEqual([]);
  }, { auto: true }],
});
export { expect };

export const JO = 'jo@riverside.example';

/** What the tablet's sync status says. */
export async function status(page: Page) {
  return page.getByTestId('sync-status');
}

/** Signs in, lets the service worker take control and caches the outreach pages, as one online visit does. */
export async function goOnlineOnce(page: Page) {
  await signIn(page, JO);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Jo');
  await page.goto('/outreach');
  await hydrated(page);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await hydrated(page);
  expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  for (const path of ['/outreach/doorstep', '/outreach/events', '/outreach/follow-ups', '/outreach']) {
    await page.goto(path);
    await hydrated(page);
  }
  await expect(await status(page)).toContainText('Online — everything on this tablet has been sent');
}

// The main journeys of each part, in Welsh. Each person's device has chosen Welsh (the switch's
// cookie), so nobody's account is changed and later stories still read English.
export async function welsh(context: BrowserContext, page: Page) {
  await context.addCookies([{ name: 'mobilise_lang', value: 'cy', url: new URL(page.url()).origin }]);
}

export async function inWelsh(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
  await expect(page.getByRole('link', { name: "Neidio i'r prif gynnwys" })).toBeAttached();
}

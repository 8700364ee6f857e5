import { test, expect, Browser, BrowserContext, Page, CDPSession } from '@playwright/test';
import { signIn, hydrated, goOnlineOnce, WORKER, RESIDENT } from '../tests/helpers';

// Measurements for `scripts/bench.sh size` and `scripts/bench.sh field` (issue 17). They print
// what they measured; they assert only that each page did what it must (opened, hydrated).

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

// Records, before any script of the page runs, when the app marks the page as running.
const MARK_HYDRATED = () => {
  new MutationObserver(() => {
    const w = window as unknown as { __hydratedAt?: number };
    if (w.__hydratedAt === undefined && document.documentElement.getAttribute('data-hydrated') === 'true') {
      w.__hydratedAt = performance.now();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
};

/**
 * The code a page downloads from the moment this is called: JavaScript and wasm under /pkg/, as
 * bytes on the wire (brotli, with the response headers), from Chromium's own network log.
 */
async function codeDownloads(page: Page) {
  const seen = new Map<string, number>();
  const urls = new Map<string, string>();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.responseReceived', e => urls.set(e.requestId, new URL(e.response.url).pathname));
  cdp.on('Network.loadingFinished', e => {
    const path = urls.get(e.requestId);
    if (path && path.startsWith('/pkg/') && /\.(js|wasm)$/.test(path)) seen.set(path, (seen.get(path) ?? 0) + e.encodedDataLength);
  });
  return seen;
}

function kb(bytes: number) {
  return `${(bytes / 1000).toFixed(1)} KB`;
}

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function throttle(page: Page, network: boolean): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  if (network) {
    // Lighthouse's "slow 4G": 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up.
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
  }
  return cdp;
}

/** Milliseconds from the start of the navigation to first paint and to the app running. */
async function timings(page: Page) {
  await hydrated(page);
  return page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    return { fcp, running: (window as unknown as { __hydratedAt: number }).__hydratedAt };
  });
}

test('size: the code a first visit downloads', async ({ browser }) => {
  const lines: string[] = [];
  for (const [who, path] of [[WORKER, '/outreach'], [RESIDENT, '/consultations'], [RESIDENT, '/volunteer'], [null, '/consultations']] as const) {
    // No service worker: it would fetch (and count) what the page has not asked for.
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    // Counted from the first page: the sign-in page may load what the next page needs.
    const seen = await codeDownloads(page);
    if (who) await signIn(page, who);
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    if (who === WORKER) await hydrated(page);
    const files = [...seen.entries()].map(([p, b]) => `${p.replace(/^\/pkg\//, '')} ${kb(b)}`);
    const total = [...seen.values()].reduce((a, b) => a + b, 0);
    lines.push(`${(who ?? 'anonymous').padEnd(24)} ${path.padEnd(16)} ${kb(total).padStart(10)}   ${files.join(', ') || 'no code'}`);
    await context.close();
  }
  console.log(`\nCode downloaded by a first visit, signing in included (JS and wasm, bytes on the wire):\n${lines.join('\n')}`);
});

async function onlineFirstVisit(browser: Browser) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await signIn(page, WORKER);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Hello');
  const cdp = await throttle(page, true);
  await cdp.send('Network.clearBrowserCache');
  await page.addInitScript(MARK_HYDRATED);
  await page.goto('/outreach');
  const t = await timings(page);
  await context.close();
  return t;
}

async function offlineColdStart(browser: Browser) {
  const context = await browser.newContext();
  const first = await context.newPage();
  await goOnlineOnce(first);
  await first.close();
  await context.setOffline(true);
  const page = await context.newPage();
  await throttle(page, false);
  await page.addInitScript(MARK_HYDRATED);
  await page.goto('/outreach');
  const t = await timings(page);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await context.close();
  return t;
}

test('field: a first online visit to /outreach and an offline cold start, CPU slowed 4x', async ({ browser }) => {
  const online = [];
  const offline = [];
  for (let i = 0; i < RUNS; i++) {
    online.push(await onlineFirstVisit(browser));
    offline.push(await offlineColdStart(browser));
  }
  const row = (name: string, ts: { fcp: number; running: number }[]) =>
    `${name.padEnd(58)} ${median(ts.map(t => t.fcp)).toFixed(0).padStart(8)} ms ${median(ts.map(t => t.running)).toFixed(0).padStart(8)} ms`;
  console.log(
    `\nMedian of ${RUNS} runs, CPU slowed 4x (Chromium throttling), tablet window` +
      `\n${''.padEnd(58)} ${'first paint'.padStart(11)} ${'app running'.padStart(11)}` +
      `\n${row('/outreach, first online visit (slow 4G, nothing cached)', online)}` +
      `\n${row('/outreach, offline cold start (from the service worker)', offline)}`,
  );
});

import * as net from 'net';
import { test, expect, goOnlineOnce, hydrated } from './helpers';

// One bar of signal: the connection is up, but nothing answers. The tablet reaches Mobilise
// through a proxy on loopback that forwards everything until it is told to hang: then it
// accepts connections and swallows what they send, and answers nothing. (A browser that is
// told it is offline fails at once; this is the case it cannot tell.)

const APP_PORT = Number(process.env.MOBILISE_E2E_PORT ?? 3100);
const PROXY_PORT = APP_PORT + 2;

class HangingProxy {
  hang = false;
  private server: net.Server;
  private stuck = new Set<net.Socket>();

  constructor() {
    this.server = net.createServer(client => {
      const upstream = net.connect(APP_PORT, '127.0.0.1');
      client.on('data', data => {
        if (this.hang) this.stuck.add(client);
        else upstream.write(data);
      });
      upstream.on('data', data => {
        if (!this.hang) client.write(data);
      });
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => { upstream.destroy(); this.stuck.delete(client); });
      upstream.on('close', () => client.destroy());
    });
  }

  listen(): Promise<void> {
    return new Promise(resolve => this.server.listen(PROXY_PORT, '127.0.0.1', () => resolve()));
  }

  /** The signal comes back for new requests. Those sent meanwhile stay unanswered for ever:
   * only the app's own deadline frees what waits on them. */
  answerAgain() {
    this.hang = false;
  }

  close(): Promise<void> {
    for (const socket of this.stuck) socket.destroy();
    return new Promise(resolve => this.server.close(() => resolve()));
  }
}

const proxy = new HangingProxy();
test.beforeAll(async () => { await proxy.listen(); });
test.afterAll(async () => { await proxy.close(); });
test.use({ baseURL: `http://127.0.0.1:${PROXY_PORT}` });

test('on a signal that answers nothing, outreach opens from the tablet at once and its records sync when the network answers again', async ({ page }) => {
  test.setTimeout(120_000);
  // One online visit, as a worker makes at the office.
  await goOnlineOnce(page);
  await expect.poll(async () => page.evaluate(async () => {
    const pages = await caches.open('mobilise-pages');
    const statics = (await Promise.all((await caches.keys()).filter(n => n.startsWith('mobilise-static')).map(async n => (await (await caches.open(n)).keys()).map(r => new URL(r.url).pathname)))).flat();
    return !!(await pages.match('/outreach')) && !!(await pages.match('/outreach/doorstep')) && statics.some(p => p.endsWith('.wasm'));
  }), { timeout: 20_000 }).toBe(true);
  const status = page.getByTestId('sync-status');
  await expect(status).toContainText('everything on this tablet has been sent');
  const held = async () => Number(/holds (\d+)/.exec(await page.getByTestId('held-count').textContent() ?? '')?.[1]);
  const before = await held();

  // The signal goes to one bar: the page still opens, from what the tablet holds, within 2 s.
  proxy.hang = true;
  const asked = Date.now();
  await page.reload({ waitUntil: 'commit', timeout: 2_000 });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Outreach', { timeout: 2_000 - (Date.now() - asked) });
  await hydrated(page);

  // A conversation is recorded while nothing answers; it waits on the tablet.
  await page.getByRole('link', { name: 'Record a doorstep conversation' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Doorstep conversation');
  await expect(page.getByLabel('Area')).toBeEnabled();
  await page.getByLabel('Area').selectOption({ label: 'Mill Ward' });
  await page.getByRole('button', { name: 'No one home' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this tablet' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(status).toContainText('1 record waiting to sync');

  // The network answers again, but the sync request sent while it hung never will: past its
  // deadline it counts as failed, so it does not hold the queue, and the record is sent (once)
  // without the worker doing anything.
  proxy.answerAgain();
  await expect(status).toContainText('everything on this tablet has been sent', { timeout: 60_000 });
  await page.reload();
  await expect(page.getByTestId('held-count')).toContainText(`holds ${before + 1} `);
});

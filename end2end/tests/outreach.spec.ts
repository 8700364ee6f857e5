import { Page, Request, Response } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, expectAccessible, expectNoSidewaysScroll, goOnlineOnce, hydrated, signIn, status, JO, ORGANISER } from './helpers';

// Outreach runs on tablets: these stories run in the tablet project only (see the config).


/**
 * Every file of the app's code the build made, as the server serves it (the build on disk, see
 * start-server.sh): the script, the stylesheet, the main wasm, the loader of the split-off
 * pages and each of their chunks, named after their contents.
 */
function builtCode(): string[] {
  const files = readdirSync(join(__dirname, '../../target/site/pkg'))
    .filter(f => /\.(js|wasm|css)$/.test(f))
    .map(f => `/pkg/${f}`);
  expect(files.filter(f => /^\/pkg\/chunk_\d+\.[A-Za-z0-9_-]{22}\.wasm$/.test(f)).length, 'split chunks named after their contents').toBeGreaterThan(10);
  expect(files.some(f => /^\/pkg\/__wasm_split\.[A-Za-z0-9_-]{22}\.js$/.test(f)), 'the split loader').toBe(true);
  return files;
}

async function heldByServer(page: Page): Promise<number> {
  const text = await page.getByTestId('held-count').textContent();
  return Number(/holds (\d+)/.exec(text ?? '')?.[1]);
}

async function recordDoorstep(page: Page, fill: (page: Page) => Promise<void>, save = 'Save conversation') {
  await page.getByRole('link', { name: 'Record a doorstep conversation' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Doorstep conversation');
  await expect(page.getByLabel('Area')).toBeEnabled();
  await page.getByLabel('Area').selectOption({ label: 'Mill Ward' });
  await fill(page);
  await page.getByRole('button', { name: save }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this tablet' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to outreach' }).click();
}

test('a worker who signs in and taps Outreach in the menu can open it again with no signal', async ({ page, context }) => {
  // The path a person takes: sign in, tap through the menu (the app moves between pages itself,
  // so the browser never loads /outreach in full), lose signal, reload.
  await signIn(page, JO);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Jo');
  await hydrated(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outreach' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Outreach');
  // The service worker keeps every offline page and the code they load as soon as Jo is known.
  await expect.poll(async () => page.evaluate(async (code) => {
    const pages = await caches.open('mobilise-pages');
    const kept = await Promise.all(['/outreach', '/outreach/doorstep', '/outreach/conversation', '/outreach/follow-ups', '/outreach/events'].map(p => pages.match(p)));
    const statics = (await Promise.all((await caches.keys()).filter(n => n.startsWith('mobilise-static')).map(async n => (await (await caches.open(n)).keys()).map(r => new URL(r.url).pathname)))).flat();
    return kept.every(Boolean) && code.every(c => statics.includes(c));
  }, builtCode()), { timeout: 20_000 }).toBe(true);

  // Even online, the code comes from the tablet: each file is named after its contents, so the
  // service worker never asks the network for one it holds.
  const fetchedBySw: string[] = [];
  const watchSw = (request: Request) => { if (request.serviceWorker() && new URL(request.url()).pathname.startsWith('/pkg/')) fetchedBySw.push(request.url()); };
  const code: string[] = [];
  const watchPage = (r: Response) => { if (new URL(r.url()).pathname.startsWith('/pkg/')) code.push(`${new URL(r.url()).pathname} ${r.fromServiceWorker()}`); };
  context.on('request', watchSw);
  page.on('response', watchPage);
  await page.reload();
  await hydrated(page);
  context.off('request', watchSw);
  page.off('response', watchPage);
  expect(code.length, 'the page loads its code').toBeGreaterThan(1);
  expect(code.filter(c => !c.endsWith(' true')), 'code not from the service worker').toEqual([]);
  expect(fetchedBySw, 'code the service worker fetched').toEqual([]);
  // Browsers keep those files for good too; anything not named after its contents is checked.
  const wasm = builtCode().find(f => /^\/pkg\/mobilise\.[A-Za-z0-9_-]{22}\.wasm$/.test(f))!;
  expect((await page.request.get(wasm)).headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect((await page.request.get('/manifest.webmanifest')).headers()['cache-control']).toBe('no-cache');

  await context.setOffline(true);
  const reload = await page.reload();
  expect(reload?.fromServiceWorker(), 'the page comes from the service worker').toBe(true);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Outreach');
  await expect(await status(page)).toContainText('Offline');
  // Every outreach page opens from a reload too, not only the one that was visited.
  for (const [path, heading] of [['/outreach/follow-ups', 'My follow-ups'], ['/outreach/doorstep', 'Doorstep conversation']]) {
    const opened = await page.goto(path);
    expect(opened?.fromServiceWorker(), path).toBe(true);
    await hydrated(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  }
  // The other pages' code is split off and fetched when one is first opened. The tablet holds
  // every piece, so a page opened with no signal still comes up and the app carries on (on
  // Leptos 0.8 a piece that cannot be fetched stops the whole app).
  const menu = page.getByRole('navigation', { name: 'Main' });
  await menu.getByRole('link', { name: 'Volunteer' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Volunteer in your area' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Sorry, there is a problem' })).toBeVisible(); // no signal for its list
  await menu.getByRole('link', { name: 'Outreach' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Outreach');
  await recordDoorstep(page, async () => {}, 'No one home');
  await expect(await status(page)).toContainText('Offline — 1 record waiting to sync');
  await context.setOffline(false);
  await expect(await status(page)).toContainText('Online — everything on this tablet has been sent', { timeout: 20_000 });
});

test('a worker records offline, closes the tab, and everything syncs exactly once', async ({ page, context }) => {
  await goOnlineOnce(page);
  const before = await heldByServer(page);

  await context.setOffline(true);
  const reload = await page.reload();
  expect(reload?.fromServiceWorker(), 'the app starts from the service worker').toBe(true);
  await hydrated(page);
  await expect(await status(page)).toContainText('Offline');

  await recordDoorstep(page, async () => {}, 'No one home');
  await recordDoorstep(page, async (p) => {
    await p.getByLabel('Address or street (optional)').fill('14 Mill Lane');
    await p.getByLabel('Damp and mould').check();
    await p.getByLabel('Resolved on the spot').check();
    await p.getByRole('group', { name: 'Did the resident feel heard?' }).getByLabel('5').check();
    await p.getByLabel('Notes').fill('Showed them how to ventilate the back bedroom');
  });
  await recordDoorstep(page, async (p) => {
    await p.getByLabel('Housing repairs', { exact: true }).check();
    await p.getByLabel('Follow-up needed').check();
    await p.getByText("Resident's details (optional)").click();
    await p.getByLabel('Name', { exact: true }).fill('Mo Ahmed');
    await p.getByLabel('Phone or email').fill('07700 900123');
    await p.getByRole('group', { name: 'We can contact you about the issue you raised today.' }).getByLabel('Yes').check();
  });

  await page.getByRole('link', { name: 'Community events' }).click();
  await page.getByLabel('Event name').fill('Winter fair');
  await page.getByLabel('Place (optional)').fill('Mill Hall');
  await page.getByRole('button', { name: 'Start event' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Winter fair/);
  for (let i = 0; i < 2; i++) {
    await page.getByLabel('Area').selectOption({ label: 'Mill Ward' });
    await page.getByLabel('Cost of living').check();
    await page.getByRole('button', { name: 'Save contact' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved on this tablet' })).toBeVisible();
    await expect(page.getByText(`${i + 1} contact${i ? 's' : ''} from this event`)).toBeVisible();
  }
  await expectAccessible(page, 'event contacts');

  // Close the tab (or the battery dies) and open the app again, still offline.
  await page.close();
  const again = await context.newPage();
  const reopened = await again.goto('/outreach');
  expect(reopened?.fromServiceWorker()).toBe(true);
  await hydrated(again);
  await expect(await status(again)).toContainText('Offline — 6 records waiting to sync');
  await expect(again.getByTestId('pending-row')).toHaveCount(6);
  await expectAccessible(again, 'outreach while offline');
  await expectNoSidewaysScroll(again, 'outreach while offline');

  await context.setOffline(false);
  await expect(await status(again)).toContainText('Online — everything on this tablet has been sent', { timeout: 20_000 });
  await again.reload();
  await expect(again.getByTestId('held-count')).toContainText(`holds ${before + 5} `);
});

test('a sync cut off mid-flight is retried and stores everything exactly once', async ({ page, context }) => {
  await goOnlineOnce(page);
  const before = await heldByServer(page);
  await context.setOffline(true);
  await page.reload();
  await hydrated(page);
  for (let i = 0; i < 5; i++) {
    await recordDoorstep(page, async () => {}, 'Declined to talk');
  }
  await expect(await status(page)).toContainText('5 records waiting to sync');

  // The first sync reaches the server, which stores the batch; the answer never comes back.
  let cut = 0;
  await page.route('**/api/sync/v1/push', async (route) => {
    if (cut++ === 0) {
      await route.fetch();
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await context.setOffline(false);
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 30_000 });
  expect(cut, 'the batch was sent again after the cut').toBeGreaterThanOrEqual(2);
  await page.unroute('**/api/sync/v1/push');
  await page.reload();
  await expect(page.getByTestId('held-count')).toContainText(`holds ${before + 5} `);
});

test('a record the server rejects needs attention while the others sync', async ({ page }) => {
  await goOnlineOnce(page);
  const before = await heldByServer(page);
  // Between the tablet and the server, one record's area is replaced by one the organisation no
  // longer has (as if an admin removed it while the tablet was out): the server must refuse it.
  await page.route('**/api/sync/v1/push', async (route) => {
    const body = JSON.parse(route.request().postData() ?? '{}');
    for (const item of body.batch?.items ?? []) {
      if (item.payload?.notes === 'About the bins') item.payload.area_id = 'an-area-that-was-removed';
    }
    await route.continue({ postData: JSON.stringify(body) });
  });
  await recordDoorstep(page, async () => {}, 'No one home');
  await recordDoorstep(page, async (p) => { await p.getByLabel('Notes').fill('About the bins'); });
  await recordDoorstep(page, async () => {}, 'Declined to talk');
  await expect(await status(page)).toContainText('1 record needs your attention', { timeout: 20_000 });
  const row = page.getByTestId('pending-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Needs attention');
  await expect(row).toContainText('Select an area from the list');
  await expectAccessible(page, 'outreach with a record that needs attention');
  await page.unroute('**/api/sync/v1/push');

  await row.getByRole('link', { name: 'Correct it' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Correct a record');
  await expect(page.getByLabel('Notes')).toHaveValue('About the bins');
  await page.getByLabel('Area').selectOption({ label: 'River Ward' });
  await page.getByRole('button', { name: 'Save corrected record' }).click();
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.reload();
  await expect(page.getByTestId('held-count')).toContainText(`holds ${before + 3} `);
});

test('follow-ups: owned, resolved offline, synced', async ({ page, context }) => {
  await goOnlineOnce(page);
  await recordDoorstep(page, async (p) => {
    await p.getByLabel('Transport').check();
    await p.getByLabel('Follow-up needed').check();
    await p.getByLabel('Notes').fill('Bus stop shelter broken');
  });
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.getByRole('link', { name: 'My follow-ups' }).click();
  const card = page.getByRole('listitem').filter({ hasText: 'Bus stop shelter broken' });
  await expect(card).toBeVisible();
  await expectAccessible(page, 'my follow-ups');

  await context.setOffline(true);
  await card.getByRole('button', { name: /Mark as resolved/ }).click();
  await page.getByLabel('How was it resolved?').fill('Reported to the transport team; fixed on Friday');
  await page.getByRole('button', { name: 'Save as resolved' }).click();
  await expect(card).toContainText('Resolved – waiting to sync');
  await context.setOffline(false);
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.getByRole('link', { name: 'My follow-ups' }).click();
  await expect(page.getByText('Bus stop shelter broken')).toHaveCount(0);
});

test('commitments: what each side will do, agreed at the door offline, go with the follow-up and are settled when it is resolved', async ({ page, context }) => {
  await goOnlineOnce(page);
  await context.setOffline(true);
  await page.getByRole('link', { name: 'Record a doorstep conversation' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Doorstep conversation');
  await expect(page.getByLabel('Area')).toBeEnabled();
  await page.getByLabel('Area').selectOption({ label: 'Mill Ward' });
  await page.getByLabel('Transport').check();
  await page.getByLabel('Follow-up needed').check();
  // "We will" starts as the follow-up's: Jo, by its date.
  await page.getByRole('button', { name: 'Add: we will…' }).click();
  await page.getByLabel('We will… (1)').fill('Chase the bus company about the shelter');
  await expect(page.getByLabel('Who will do it')).toHaveValue(/.+/);
  await page.getByRole('button', { name: 'Add: you can…' }).click();
  // Left empty: the summary names it and takes the worker to it.
  await page.getByRole('button', { name: 'Save conversation' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary).toContainText('Say what the resident can do, or remove it');
  await summary.getByRole('link', { name: 'Say what the resident can do, or remove it' }).click();
  await expect(page.getByLabel('You can… (2)')).toBeFocused();
  await page.getByLabel('You can… (2)').fill('Report it on the bus company app too');
  await expectAccessible(page, 'doorstep form with commitments');
  // A row added by mistake goes again.
  await page.getByRole('button', { name: 'Add: you can…' }).click();
  await page.getByRole('button', { name: 'Remove “You can” (3)' }).click();
  await expect(page.getByLabel('You can… (3)')).toHaveCount(0);
  await page.getByRole('button', { name: 'Save conversation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this tablet' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(await status(page)).toContainText('Offline — 1 record waiting to sync');

  await context.setOffline(false);
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.getByRole('link', { name: 'My follow-ups' }).click();
  const card = page.locator('li.card').filter({ hasText: 'Chase the bus company about the shelter' });
  await expect(card).toContainText(/We will Chase the bus company about the shelter – Jo [^,]+, by \d{1,2} \w+ 20\d\d/);
  await expect(card).toContainText('You can Report it on the bus company app too');
  await expectAccessible(page, 'my follow-ups with commitments');

  // On the phone to the resident a day later, with no signal: they agree one more thing.
  await context.setOffline(true);
  await card.getByRole('button', { name: 'Add what was agreed since' }).click();
  await expect(card.getByLabel('We will…'), 'the form takes focus as it opens').toBeFocused();
  await card.getByRole('button', { name: 'Add it' }).click();
  const missing = page.locator('.error-summary');
  await expect(missing).toContainText('Select whose it is');
  await missing.getByRole('link', { name: /Select whose it is/ }).click();
  await expect(card.getByLabel('We will…')).toBeFocused();
  await card.getByLabel('You can… (the resident)').check();
  await card.getByLabel('What', { exact: true }).fill('Keep the receipts for the taxi fares');
  // The service they will claim them back through, counted on the dashboard under it.
  await card.getByLabel('Service (optional)').selectOption({ label: 'Benefits advice' });
  await expectAccessible(page, 'adding to what was agreed');
  await card.getByRole('button', { name: 'Add it' }).click();
  await expect(card).toContainText('Waiting to sync You can Keep the receipts for the taxi fares');
  // Its settlement must name it, which only the server numbers: resolving waits for the sync.
  await expect(card.getByRole('button', { name: /Mark as resolved/ })).toHaveCount(0);
  await expect(card).toContainText('Sync what you added before marking it as resolved.');
  await context.setOffline(false);
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.getByRole('link', { name: 'My follow-ups' }).click();
  await expect(card.getByRole('list').filter({ hasText: 'Keep the receipts' })).toContainText('You can Keep the receipts for the taxi fares – Benefits advice');
  await expect(card).not.toContainText('Waiting to sync');

  // Later, with no signal again: resolving the follow-up says how each one ended.
  await context.setOffline(true);
  await card.getByRole('button', { name: /Mark as resolved/ }).click();
  await card.getByRole('group', { name: 'You can Keep the receipts for the taxi fares' }).getByLabel('Not needed').check();
  const ours = card.getByRole('group', { name: 'We will Chase the bus company about the shelter' });
  // A reason begun and then abandoned for "Kept" is hidden, so it is neither sent nor checked.
  await ours.getByLabel('Not kept').check();
  await page.getByLabel('Why not?').fill('x'.repeat(501));
  await ours.getByLabel('Kept', { exact: true }).check();
  await expect(page.getByLabel('Why not?')).toHaveCount(0);
  await page.getByLabel('How was it resolved?').fill('Passed to the bus company, who own the shelter');
  await page.getByRole('button', { name: 'Save as resolved' }).click();
  const problems = page.locator('.error-summary');
  await expect(problems).toContainText('Say whether it was kept, not kept or not needed');
  await expect(problems.getByRole('listitem')).toHaveCount(1);
  await ours.getByLabel('Not kept').check();
  await page.getByLabel('Why not?').fill('');
  await page.getByRole('button', { name: 'Save as resolved' }).click();
  await expect(problems).toContainText('Say why it was not kept');
  await expect(problems).toContainText('Say whether it was kept, not kept or not needed');
  await problems.getByRole('link', { name: 'Say why it was not kept' }).click();
  await expect(page.getByLabel('Why not?')).toBeFocused();
  await page.getByLabel('Why not?').fill('The bus company owns the shelter, not the council');
  await card.getByRole('group', { name: 'You can Report it on the bus company app too' }).getByLabel('They did it').check();
  await expectAccessible(page, 'resolving a follow-up with commitments');
  await page.getByRole('button', { name: 'Save as resolved' }).click();
  await expect(card).toContainText('Resolved – waiting to sync');
  await context.setOffline(false);
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.getByRole('link', { name: 'My follow-ups' }).click();
  await expect(page.getByText('Chase the bus company about the shelter')).toHaveCount(0);
});

test('what a resident can do about their issue is at hand offline, and goes into "you can…" in one tap', async ({ page, context }) => {
  await goOnlineOnce(page);
  await context.setOffline(true);
  await page.getByRole('link', { name: 'Record a doorstep conversation' }).click();
  await expect(page.getByLabel('Area')).toBeEnabled();
  await page.getByLabel('Area').selectOption({ label: 'Mill Ward' });
  await page.getByLabel('Damp and mould').check();
  const guidance = page.locator('.guidance').filter({ hasText: 'What they can do: Damp and mould' });
  await expect(guidance).toContainText('Wipe condensation off windows and sills every morning');
  await expect(guidance).toContainText("Riverside Tenants' Association");
  await expect(guidance).toContainText('choose “Follow-up needed”');
  await page.getByLabel('Follow-up needed').check();
  await guidance.getByRole('button', { name: 'Add to “you can…”: Open a window for an hour a day, even in winter' }).click();
  await expect(page.getByLabel('You can… (1)')).toHaveValue('Open a window for an hour a day, even in winter');
  await expect(guidance.getByRole('button', { name: /^Added to “you can…”: Open a window/ })).toBeVisible();
  await expect(guidance.getByRole('button', { name: /^Added to “you can…”: Open a window/ })).toHaveAttribute('aria-disabled', 'true');
  await guidance.getByRole('button', { name: /^Added to “you can…”: Open a window/ }).dispatchEvent('click');
  await expect(page.getByLabel('You can… (2)'), 'tapped twice, added once').toHaveCount(0);
  await expectAccessible(page, 'guidance beside the issue');
  await page.getByRole('button', { name: 'Save conversation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this tablet' })).toBeVisible();
  await context.setOffline(false);
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.getByRole('link', { name: 'My follow-ups' }).click();
  await expect(page.locator('li.card').filter({ hasText: 'You can Open a window for an hour a day, even in winter' }).first()).toBeVisible();
});

test('a phone call taken at the counter is recorded with no knock, offline, and its follow-up joins the same list', async ({ page, context }) => {
  await goOnlineOnce(page);
  await context.setOffline(true);
  await page.getByRole('link', { name: 'Record a conversation at the counter, by phone, on a home visit or online' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Record a conversation');
  await expect(page.getByLabel('Area')).toBeEnabled();
  // Nobody knocked: nothing offers "No one home" until a home visit is chosen.
  await expect(page.getByRole('button', { name: 'No one home' })).toHaveCount(0);
  await page.getByLabel('Area').selectOption({ label: 'River Ward' });
  await page.getByLabel('Housing repairs', { exact: true }).check();
  await page.getByRole('button', { name: 'Save conversation' }).click();
  const problems = page.locator('.error-summary');
  await problems.getByRole('link', { name: 'Choose how you talked with the resident' }).click();
  await expect(page.getByLabel('At the counter')).toBeFocused();
  await page.getByLabel('Home visit').check();
  await expect(page.getByRole('button', { name: 'No one home' })).toBeVisible();
  await page.getByLabel('By phone').check();
  await expect(page.getByRole('button', { name: 'No one home' })).toHaveCount(0);
  await page.getByLabel('Follow-up needed').check();
  await page.getByLabel('Notes').fill('Rang the counter line about the lift at Weir House');
  await page.setViewportSize({ width: 360, height: 740 });
  await expectAccessible(page, 'recording a phone conversation at 360 px');
  await expectNoSidewaysScroll(page, 'recording a phone conversation');
  await page.setViewportSize({ width: 768, height: 1024 });
  await expectAccessible(page, 'recording a phone conversation at 768 px');
  await page.getByRole('button', { name: 'Save conversation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this tablet' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(page.getByRole('cell', { name: /^Phone conversation · River Ward/ })).toBeVisible();
  await context.setOffline(false);
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.getByRole('link', { name: 'My follow-ups' }).click();
  await expect(page.locator('li.card').filter({ hasText: 'Rang the counter line about the lift at Weir House' })).toBeVisible();
});

test('signing out with unsent records asks first, then wipes the tablet', async ({ page, context }) => {
  await goOnlineOnce(page);
  await context.setOffline(true);
  await recordDoorstep(page, async () => {}, 'No one home');
  await page.getByRole('button', { name: 'Sign out' }).click();
  const warning = page.getByRole('alertdialog');
  await expect(warning).toContainText('1 record on this tablet has not reached the server');
  await expectAccessible(page, 'sign-out warning');
  await warning.getByRole('button', { name: 'Stay signed in and sync' }).click();
  await context.setOffline(false);
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status')).toContainText('You have been signed out.');
  const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('mobilise.u.') || k === 'mobilise.profile'));
  expect(left, 'nothing of the worker is left on the tablet').toEqual([]);
});

test('what is typed survives closing the tab before saving', async ({ page, context }) => {
  await goOnlineOnce(page);
  await context.setOffline(true);
  await page.getByRole('link', { name: 'Record a doorstep conversation' }).click();
  await expect(page.getByLabel('Area')).toBeEnabled();
  await page.getByLabel('Area').selectOption({ label: 'Castle Ward' });
  await page.getByLabel('Notes').fill('Half-way through: lift broken again');
  await page.getByLabel('Parks and green spaces').check();
  await page.close();

  const again = await context.newPage();
  await again.goto('/outreach/doorstep');
  await hydrated(again);
  await expect(again.getByLabel('Notes')).toHaveValue('Half-way through: lift broken again');
  await expect(again.getByLabel('Area')).toHaveValue(/.+/);
  await expect(again.getByLabel('Area').locator('option:checked')).toHaveText('Castle Ward');
  await expect(again.getByLabel('Parks and green spaces')).toBeChecked();
  await again.getByRole('button', { name: 'Save conversation' }).click();
  await expect(again.getByRole('status').filter({ hasText: 'Saved on this tablet' })).toBeVisible();
  await expect(again.getByLabel('Notes'), 'a saved form starts afresh').toHaveValue('');
  await context.setOffline(false);
  await again.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(await status(again)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
});

test('a full tablet says so plainly and loses nothing already waiting', async ({ page, context }) => {
  await goOnlineOnce(page);
  await context.setOffline(true);
  await recordDoorstep(page, async () => {}, 'No one home');
  await expect(await status(page)).toContainText('1 record waiting to sync');
  // Fill this site's storage to the brim.
  await page.evaluate(() => {
    let size = 1 << 20;
    let n = 0;
    while (size >= 16) {
      try { localStorage.setItem(`filler.${n++}`, 'x'.repeat(size)); } catch { size = Math.floor(size / 2); }
    }
  });
  await page.getByRole('link', { name: 'Record a doorstep conversation' }).click();
  await page.getByLabel('Area').selectOption({ label: 'River Ward' });
  await page.getByLabel('Notes').fill('This one will not fit');
  await page.getByRole('button', { name: 'Save conversation' }).click();
  await expect(page.getByRole('alert').first()).toContainText("storage for Mobilise is full");
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(await status(page)).toContainText('1 record waiting to sync');
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('filler.')).forEach((k) => localStorage.removeItem(k)));
  await context.setOffline(false);
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
});

test('two tabs open on one tablet never overwrite each other\'s records', async ({ page, context }) => {
  await goOnlineOnce(page);
  const before = await heldByServer(page);
  await context.setOffline(true);
  const second = await context.newPage();
  await second.goto('/outreach');
  await hydrated(second);
  await recordDoorstep(page, async () => {}, 'No one home');
  await recordDoorstep(second, async () => {}, 'Declined to talk');
  await expect(await status(second)).toContainText('2 records waiting to sync');
  await expect(await status(page)).toContainText('2 records waiting to sync');
  await second.close();
  await page.reload();
  await hydrated(page);
  await expect(await status(page)).toContainText('2 records waiting to sync');
  await context.setOffline(false);
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.reload();
  await expect(page.getByTestId('held-count')).toContainText(`holds ${before + 2} `);
});

test('records kept whole by the previous version of the app are still sent after an upgrade', async ({ page, context }) => {
  await goOnlineOnce(page);
  const before = await heldByServer(page);
  await context.setOffline(true);
  await recordDoorstep(page, async () => {}, 'No one home');
  await recordDoorstep(page, async () => {}, 'Declined to talk');
  await expect(await status(page)).toContainText('2 records waiting to sync');
  // Put them back the way versions before one key per record kept them: one key for the lot.
  const moved = await page.evaluate(() => {
    const keys = Object.keys(localStorage).filter((k) => /^mobilise\.u\.[^.]+\.outbox\./.test(k));
    const user = keys[0].split('.')[2];
    const entries = keys.map((k) => JSON.parse(localStorage.getItem(k)!)).map(({ seq, ...e }) => e);
    keys.forEach((k) => localStorage.removeItem(k));
    localStorage.setItem(`mobilise.u.${user}.outbox`, JSON.stringify({ entries, failures: 3 }));
    return entries.length;
  });
  expect(moved).toBe(2);
  await page.reload();
  await hydrated(page);
  await expect(await status(page)).toContainText('2 records waiting to sync');
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => /^mobilise\.u\.[^.]+\.outbox$/.test(k)).length), 'the old key is gone once moved').toBe(0);
  await context.setOffline(false);
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.reload();
  await expect(page.getByTestId('held-count')).toContainText(`holds ${before + 2} `);
});

test('a resident answers a consultation on the tablet offline; it syncs as an assisted response', async ({ page, context }) => {
  await goOnlineOnce(page);
  await page.goto('/outreach/consultations');
  await hydrated(page);
  await context.setOffline(true);
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Take part in a consultation', level: 1 })).toBeVisible();
  await page.getByLabel('Consultation', { exact: true }).selectOption({ label: 'The future of Mill Park' });
  await page.getByRole('button', { name: 'Save their answers' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary.getByRole('link', { name: 'Choose an answer to “Which project should come first”' })).toBeVisible();
  await expectAccessible(page, 'the assisted consultation form with errors');
  await expectNoSidewaysScroll(page, 'the assisted consultation form');
  await page.getByLabel('Drained, lit paths').check();
  await page.getByLabel('Weekday mornings').check();
  await page.getByLabel('Which area do they live in? (optional)').selectOption({ label: 'River Ward' });
  await page.getByRole('button', { name: 'Save their answers' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Answers saved on this tablet' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(page.getByRole('cell', { name: 'Answers to “The future of Mill Park”' })).toBeVisible();

  await context.setOffline(false);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await expect(page.getByRole('cell', { name: 'Answers to “The future of Mill Park”' })).toHaveCount(0);

  // An admin sees it in the results, counted as taken at the door.
  await signIn(page, 'admin@riverside.example');
  await expect(page.getByRole('heading', { name: 'Hello, Priya' })).toBeVisible();
  await page.goto('/manage/consultations');
  await page.getByRole('link', { name: 'The future of Mill Park' }).click();
  await page.getByRole('link', { name: 'Results' }).click();
  await expect(page.getByText(/of which [1-9]\d* (was|were) taken at the door/)).toBeVisible();
  const row = page.getByRole('region', { name: 'Which project should come first?' }).getByRole('row', { name: /Drained, lit paths/ });
  await expect(row.getByRole('cell').last()).not.toHaveText('0');
});

test('at the door, offline: what the resident says shows matches, they are put forward, and the group sees it after sync', async ({ page, context, browser }) => {
  await goOnlineOnce(page);
  await context.setOffline(true);
  await page.reload();
  await hydrated(page);
  const name = `Robin ${Date.now()}`;
  await recordDoorstep(page, async (p) => {
    await p.getByText("Resident's details (optional)").click();
    await p.getByLabel('Name', { exact: true }).fill(name);
    await p.getByLabel('Phone or email').fill('robin@door.example');
    await p.getByText('Getting involved (optional)').click();
    await p.getByRole('group', { name: 'Interests' }).getByLabel('Litter picking').check();
    await p.getByLabel('When are they free?').fill('weekends');
    const matches = p.getByRole('region', { name: 'This is what they could do' });
    await expect(matches.getByText('Mill Ward winter litter pick')).toBeVisible();
    await expect(matches.getByText('1 of your interests · in your area · any time that suits you')).toBeVisible();
    // Not until the resident has said yes to volunteering.
    const forward = matches.getByLabel(/Put them forward/);
    await expect(forward).toBeDisabled();
    await p.getByRole('group', { name: /We can tell you about volunteering opportunities/ }).getByLabel('Yes').check();
    await forward.check();
    await expectAccessible(p, 'matches at the door');
  });
  await expect(page.getByTestId('pending-row').filter({ hasText: 'Put forward for “Mill Ward winter litter pick”' })).toBeVisible();
  await expect(await status(page)).toContainText('Offline — 2 records waiting to sync');

  await context.setOffline(false);
  await expect(await status(page)).toContainText('Online — everything on this tablet has been sent', { timeout: 20_000 });

  const group = await browser.newContext();
  const dee = await group.newPage();
  await signIn(dee, ORGANISER);
  await expect(dee.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Volunteering', exact: true })).toBeVisible();
  await dee.goto('/manage/opportunities');
  await dee.getByRole('link', { name: 'Mill Ward winter litter pick' }).click();
  const row = dee.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('robin@door.example');
  await expect(row).toContainText('Registered at the door');
  await group.close();
});

test('on a shared tablet the next person sees none of the first one\'s waiting records, and nothing is lost', async ({ page, context }) => {
  await goOnlineOnce(page);
  // Jo's records cannot leave the tablet yet (the server is out of reach for sync).
  await page.route('**/api/sync/v1/push', (route) => route.abort());
  const name = `Shared Tablet ${Date.now()}`;
  await recordDoorstep(page, async (p) => {
    await p.getByText("Resident's details (optional)").click();
    await p.getByLabel('Name', { exact: true }).fill(name);
    await p.getByRole('group', { name: 'We can contact you about the issue you raised today.' }).getByLabel('Yes').check();
  });
  await expect(await status(page)).toContainText('1 record waiting');

  // Jo's session ends without signing out; Sam signs in on the same tablet.
  // (The session's cookie goes; the mark of a staff tablet stays, so the sign-in page runs the app.)
  await context.clearCookies({ name: /mobilise_session/ });
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email address').fill('sam@riverside.example');
  await page.getByLabel('Password', { exact: true }).fill('mobilise-demo-2026');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Sam');
  await page.goto('/outreach');
  await hydrated(page);
  await expect(await status(page)).toContainText('everything on this tablet has been sent');
  await expect(page.getByText(name)).toHaveCount(0);
  await page.goto('/outreach/follow-ups');
  await hydrated(page);
  await expect(page.getByText(name)).toHaveCount(0);

  // Jo signs in again: her record is still there, and goes.
  await page.unroute('**/api/sync/v1/push');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status')).toContainText('You have been signed out.');
  await signIn(page, 'jo@riverside.example');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Jo');
  await page.goto('/outreach');
  await hydrated(page);
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
});

test('a referral to a partner group is made at the door, accepted and answered by the group, and its answer reaches the tablet; a service referral is chased offline', async ({ page, context, browser }) => {
  await goOnlineOnce(page);
  const token = `yard-${Date.now()}`;
  await recordDoorstep(page, async (p) => {
    await p.getByLabel('Health and wellbeing', { exact: true }).check();
    await p.getByLabel('Referred to a partner organisation').check();
    await p.getByLabel('Partner organisation referred to').selectOption({ label: 'Northside Community Garden' });
    await p.getByLabel('What are you asking them to do? (optional)').fill(`Could a volunteer help clear the back garden (${token})?`);
  });
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });

  // The group's organiser, on her phone, finds it through the menu, accepts and answers it.
  const group = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const dee = await group.newPage();
  await signIn(dee, ORGANISER);
  await dee.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals' }).click();
  await expect(dee.getByRole('heading', { level: 1, name: 'Referrals' })).toBeVisible();
  const card = dee.getByRole('listitem').filter({ hasText: token });
  await expect(card).toContainText('Waiting to be accepted');
  await expect(card).toContainText('Their details are not shared with you');
  await expectAccessible(dee, 'a partner group\'s referrals');
  await expectNoSidewaysScroll(dee, 'a partner group\'s referrals');
  await card.getByRole('button', { name: 'Accept' }).click();
  await expect(card).toContainText('Accepted, waiting for an answer');
  await card.getByRole('button', { name: 'Send your answer' }).click();
  const summary = dee.getByRole('alert').filter({ hasText: 'There is a problem' });
  await summary.getByRole('link', { name: 'Say what they answered' }).click();
  await expect(card.getByLabel('Your answer: what you did or will do')).toBeFocused();
  await card.getByLabel('Your answer: what you did or will do').fill('Two volunteers cleared it on Saturday');
  await card.getByRole('button', { name: 'Send your answer' }).click();
  await expect(card).toContainText('Answered');
  await expect(card).toContainText('Two volunteers cleared it on Saturday');
  await group.close();

  // Back on the tablet, the answer is there after the next sync, with each step and who took it.
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.getByRole('link', { name: 'My follow-ups' }).click();
  const mine = page.getByRole('listitem').filter({ hasText: token });
  await expect(mine).toContainText('Answered');
  await expect(mine).toContainText('Two volunteers cleared it on Saturday');
  await expect(mine).toContainText('Accepted by Dee Campbell');

  // A referral to one of the council's services: chased with no signal, sent once back online.
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await recordDoorstep(page, async (p) => {
    await p.getByLabel('Housing repairs', { exact: true }).check();
    await p.getByLabel('Referred to one of our services').check();
    await p.getByLabel('Service referred to').selectOption({ label: 'Housing repairs team' });
    await p.getByLabel('What are you asking them to do? (optional)').fill(`Fix the gutter (${token})`);
  });
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.getByRole('link', { name: 'My follow-ups' }).click();
  const chased = page.getByRole('listitem').filter({ hasText: `Fix the gutter (${token})` });
  await expect(chased).toContainText('Waiting to be accepted');
  await context.setOffline(true);
  await chased.getByRole('button', { name: /Record a chase or an answer/ }).click();
  await chased.getByLabel('I chased it').check();
  await chased.getByLabel('What happened when you chased it (optional)').fill('Phoned the repairs line, left a message');
  await expectAccessible(page, 'recording a chase');
  await chased.getByRole('button', { name: 'Save' }).click();
  await expect(chased).toContainText('Waiting to sync');
  await context.setOffline(false);
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.getByRole('link', { name: 'My follow-ups' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: `Fix the gutter (${token})` })).toContainText('Chased by Jo Evans');
});

test('a follow-up is referred on later with no signal, and the partner group sees it and accepts it', async ({ page, context, browser }) => {
  await goOnlineOnce(page);
  const token = `later-${Date.now()}`;
  await recordDoorstep(page, async (p) => {
    await p.getByLabel('Health and wellbeing', { exact: true }).check();
    await p.getByLabel('Follow-up needed').check();
    await p.getByLabel('Notes').fill(`Overgrown garden, hard to manage since the operation (${token})`);
  });
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.getByRole('link', { name: 'My follow-ups' }).click();
  const card = page.locator('li.card').filter({ hasText: `since the operation (${token})` });
  await expect(card).toBeVisible();

  // A week on, with no signal: the worker refers it to the garden group.
  await context.setOffline(true);
  await card.getByRole('button', { name: 'Refer to a service or partner' }).click();
  await expect(card.getByLabel('One of our services'), 'the form takes focus as it opens').toBeFocused();
  await card.getByRole('button', { name: 'Send the referral' }).click();
  const problems = page.locator('.error-summary');
  await problems.getByRole('link', { name: 'Choose one of our services or a partner organisation' }).click();
  await expect(card.getByLabel('One of our services')).toBeFocused();
  await card.getByLabel('A partner organisation').check();
  await card.getByRole('button', { name: 'Send the referral' }).click();
  await problems.getByRole('link', { name: 'Select the partner organisation you are referring them to' }).click();
  await expect(card.getByLabel('Which partner organisation')).toBeFocused();
  await card.getByLabel('Which partner organisation').selectOption({ label: 'Northside Community Garden' });
  await card.getByLabel('What are you asking them to do? (optional)').fill(`Could volunteers help tidy the garden (${token}-asked)?`);
  await expectAccessible(page, 'referring a follow-up on');
  await card.getByRole('button', { name: 'Send the referral' }).click();
  await expect(card).toContainText('Waiting to sync Referral to Northside Community Garden');
  await context.setOffline(false);
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(await status(page)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.getByRole('link', { name: 'My follow-ups' }).click();
  await expect(card).not.toContainText('Waiting to sync');
  const made = page.getByRole('listitem').filter({ hasText: `${token}-asked` });
  await expect(made).toContainText('Waiting to be accepted');

  // The group's organiser, on her phone, finds it through the menu and accepts it.
  const group = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const dee = await group.newPage();
  await signIn(dee, ORGANISER);
  await dee.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals' }).click();
  const theirs = dee.getByRole('listitem').filter({ hasText: `${token}-asked` });
  await expect(theirs).toContainText('Waiting to be accepted');
  await expect(theirs).toContainText('Health and wellbeing');
  await theirs.getByRole('button', { name: 'Accept' }).click();
  await expect(theirs).toContainText('Accepted, waiting for an answer');
  await group.close();
});

import {
  test, expect, expectAccessible, expectNoSidewaysScroll, goOnlineOnce, hydrated, status, welsh, inWelsh,
} from './helpers';

// Outreach is for tablets (the phone project skips *outreach.spec.ts): a doorstep conversation,
// offline, in Welsh.
test.describe('in Welsh', () => {
  test('an outreach worker records a doorstep conversation offline, is told what is missing, and it syncs', async ({ page, context }) => {
    await goOnlineOnce(page);
    await welsh(context, page);
    await page.goto('/');
    await inWelsh(page);
    await hydrated(page);
    // Through the menu, as a worker taps: Allgymorth.
    await page.getByRole('navigation', { name: 'Prif ddewislen' }).getByRole('link', { name: 'Allgymorth' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Allgymorth');
    await expect(await status(page)).toContainText('Ar-lein');
    // The tablet keeps the Welsh pages for when there is no signal.
    for (const path of ['/outreach/doorstep', '/outreach']) {
      await page.goto(path);
      await hydrated(page);
    }

    await context.setOffline(true);
    const reload = await page.reload();
    expect(reload?.fromServiceWorker(), 'the app starts from the service worker').toBe(true);
    await hydrated(page);
    await inWelsh(page);
    await expect(await status(page)).toContainText('All-lein');
    await page.getByRole('link', { name: 'Cofnodi sgwrs ar garreg y drws' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sgwrs ar garreg y drws');
    await expect(page.getByLabel('Ardal')).toBeEnabled();
    await page.getByRole('button', { name: "Cadw'r sgwrs" }).click();
    const summary = page.getByRole('alert');
    await expect(summary).toContainText('Mae problem');
    await summary.getByRole('link', { name: 'Dewiswch yr ardal' }).click();
    await expect(page.getByLabel('Ardal')).toBeFocused();
    await expectAccessible(page, 'the doorstep form in Welsh, with an error');
    await expectNoSidewaysScroll(page, 'the doorstep form in Welsh');

    await page.getByLabel('Ardal').selectOption({ label: 'Mill Ward' });
    await page.getByLabel('Damp and mould').check();
    await page.getByLabel("Wedi'i ddatrys yn y fan a'r lle").check();
    await page.getByLabel('Nodiadau').fill('Wedi dangos sut i awyru’r ystafell wely gefn');
    await page.getByRole('button', { name: "Cadw'r sgwrs" }).click();
    await expect(page.getByRole('status').filter({ hasText: "Wedi'i gadw ar y llechen hon" })).toBeVisible();
    await page.getByRole('link', { name: 'Yn ôl i allgymorth' }).click();
    await expect(await status(page)).toContainText("All-lein — 1 cofnod yn aros i'w gysoni");

    await context.setOffline(false);
    await expect(await status(page)).toContainText("Ar-lein — mae popeth ar y llechen hon wedi'i anfon", { timeout: 20_000 });
  });

  test('a resident answers a consultation at the door in Welsh, or in English if they would rather', async ({ page, context }) => {
    await goOnlineOnce(page);
    await welsh(context, page);
    await page.goto('/outreach');
    await hydrated(page);
    await inWelsh(page);
    await page.getByRole('link', { name: 'Cymryd rhan mewn ymgynghoriad' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cymryd rhan mewn ymgynghoriad');
    await page.getByLabel('Ymgynghoriad', { exact: true }).selectOption({ label: 'Dyfodol Parc y Felin' });
    // Written in both: asked in Welsh, the page's language, unless the resident would rather not.
    const askIn = page.getByRole('group', { name: 'Iaith y cwestiynau' });
    await expect(askIn.getByLabel('Cymraeg')).toBeChecked();
    const first = page.getByRole('group', { name: 'Pa brosiect ddylai ddod yn gyntaf?' });
    await expect(first.getByLabel('Gardd gymunedol')).toBeVisible();
    await askIn.getByLabel('English').check();
    const inEnglish = page.getByRole('group', { name: 'Which project should come first?' });
    await expect(inEnglish.getByLabel('A community garden')).toBeVisible();
    await expect(inEnglish.locator('legend')).toHaveAttribute('lang', 'en-GB');
    await expectAccessible(page, 'a consultation asked in English on a Welsh tablet');
    await askIn.getByLabel('Cymraeg').check();
    await page.getByRole('button', { name: 'Cadw eu hatebion' }).click();
    await expect(page.getByRole('alert')).toContainText('Mae problem');
    await first.getByLabel("Llwybrau wedi'u draenio a'u goleuo").check();
    await page.getByRole('button', { name: 'Cadw eu hatebion' }).click();
    await expect(page.getByRole('status').filter({ hasText: "Atebion wedi'u cadw ar y llechen hon" })).toBeVisible();
    await expectNoSidewaysScroll(page, 'the consultation at the door in Welsh');
  });
});

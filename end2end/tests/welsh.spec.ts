import { Page, BrowserContext } from '@playwright/test';
import {
  test, expect, ADMIN, JO, RESIDENT,
  expectAccessible, expectNoSidewaysScroll, goOnlineOnce, hydrated, plainPage, ready, signIn, status,
} from './helpers';

// The main journeys of each part, in Welsh. Each person's device has chosen Welsh (the switch's
// cookie), so nobody's account is changed and later stories still read English.
async function welsh(context: BrowserContext, page: Page) {
  await context.addCookies([{ name: 'mobilise_lang', value: 'cy', url: new URL(page.url()).origin }]);
}

async function inWelsh(page: Page) {
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
  await expect(page.getByRole('link', { name: "Neidio i'r prif gynnwys" })).toBeAttached();
}

test.describe('in Welsh', () => {
  test('an outreach worker records a doorstep conversation offline, is told what is missing, and it syncs', async ({ page, context }, info) => {
    test.skip(info.project.name !== 'tablet', 'outreach is for tablets');
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

  test('a resident with JavaScript off answers a consultation, is told what is missing, and it is saved', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/consultations');
    await page.getByRole('button', { name: 'Cymraeg' }).click();
    await inWelsh(page);
    await expect(page.getByRole('heading', { name: 'Ymgynghoriadau', level: 1 })).toBeVisible();
    await page.getByRole('link', { name: 'The future of Mill Park' }).click();
    await inWelsh(page);
    await page.getByRole('button', { name: 'Anfon fy ymateb' }).click();
    await expect(page.getByRole('heading', { name: 'Mae problem' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Dewiswch ateb i “Which project should come first”' })).toBeVisible();
    await page.getByRole('group', { name: 'Which project should come first?' }).getByLabel('Drained, lit paths').check();
    await page.getByRole('button', { name: 'Anfon fy ymateb' }).click();
    await expect(page.getByText("Mae eich ymateb wedi'i gadw.")).toBeVisible();
    await expect(page.getByLabel('Drained, lit paths')).toBeChecked();
    await context.close();
  });

  test('a resident sees their volunteering matches', async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, RESIDENT);
    await welsh(context, page);
    await page.goto('/volunteer');
    await plainPage(page);
    await inWelsh(page);
    await expect(page.getByRole('heading', { name: 'Gwirfoddoli yn eich ardal', level: 1 })).toBeVisible();
    await page.getByRole('link', { name: "Cyfleoedd sy'n addas i chi" }).click();
    await inWelsh(page);
    await expect(page.getByRole('link', { name: "Cyfleoedd sy'n addas i chi" })).toHaveAttribute('aria-current', 'page');
    await expectAccessible(page, 'volunteering matches in Welsh');
    await expectNoSidewaysScroll(page, 'volunteering matches in Welsh');
    await context.close();
  });

  test('an admin reads the dashboard', async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, ADMIN);
    await welsh(context, page);
    await page.goto('/');
    await ready(page);
    await page.getByRole('navigation', { name: 'Prif ddewislen' }).getByRole('link', { name: 'Deallusrwydd' }).click();
    await inWelsh(page);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: "Defnyddio'r hidlwyr" })).toBeVisible();
    await expectAccessible(page, 'the dashboard in Welsh');
    await expectNoSidewaysScroll(page, 'the dashboard in Welsh');
    await context.close();
  });

  test('every page passes axe in Welsh', async ({ browser }) => {
    test.setTimeout(180_000);
    const visits: [string, string[]][] = [
      ['', ['/', '/sign-in', '/register', '/forgot-password', '/verify-email', '/partners/join', '/consultations', '/volunteer', '/what-you-can-do', '/no-such-page']],
      [RESIDENT, ['/', '/my-data', '/volunteer/profile', '/volunteer/interests', '/account']],
      // Jo: a worker whose account has no saved language, so the device's Welsh applies (a
      // saved choice wins over the device's, as it should).
      [JO, ['/outreach', '/outreach/doorstep', '/outreach/conversation', '/outreach/events', '/outreach/follow-ups', '/outreach/consultations']],
      [ADMIN, ['/', '/account', '/staff', '/partners', '/community', '/manage/consultations', '/manage/moderation', '/manage/opportunities', '/manage/guidance', '/intelligence', '/privacy', '/privacy/audit', '/privacy/retention']],
    ];
    for (const [who, paths] of visits) {
      const context = await browser.newContext();
      const page = await context.newPage();
      if (who) await signIn(page, who);
      else await page.goto('/');
      await welsh(context, page);
      for (const path of paths) {
        await page.goto(path);
        await ready(page);
        await inWelsh(page);
        await expectAccessible(page, `${path} in Welsh${who ? ` for ${who}` : ''}`);
        await expectNoSidewaysScroll(page, `${path} in Welsh`);
      }
      await context.close();
    }
  });
});

import {
  test, expect, ADMIN, JO, RESIDENT,
  expectAccessible, expectNoSidewaysScroll, hydrated, plainPage, ready, signIn, welsh, inWelsh,
} from './helpers';

// The main journeys of each part, in Welsh (the doorstep one, for tablets, is in
// welsh-outreach.spec.ts). Each person's device has chosen Welsh (the switch's cookie), so
// nobody's account is changed and later stories still read English.
test.describe('in Welsh', () => {
  test('a resident with JavaScript off answers a consultation, is told what is missing, and it is saved', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/consultations');
    await page.getByRole('button', { name: 'Cymraeg' }).click();
    await inWelsh(page);
    await expect(page.getByRole('heading', { name: 'Ymgynghoriadau', level: 1 })).toBeVisible();
    await page.getByRole('link', { name: 'Dyfodol Parc y Felin' }).click();
    await inWelsh(page);
    // Written in Welsh as well as English: read in Welsh, with nothing to explain.
    await expect(page.getByRole('heading', { name: 'Dyfodol Parc y Felin', level: 1 })).not.toHaveAttribute('lang', /./);
    await expect(page.locator('#language-note')).toHaveCount(0);
    await expect(page.locator('.prose strong', { hasText: '20 oed' })).toBeVisible();
    await page.getByRole('button', { name: 'Anfon fy ymateb' }).click();
    await expect(page.getByRole('heading', { name: 'Mae problem' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Dewiswch ateb i “Pa brosiect ddylai ddod yn gyntaf”' })).toBeVisible();
    await page.getByRole('group', { name: 'Pa brosiect ddylai ddod yn gyntaf?' }).getByLabel("Llwybrau wedi'u draenio a'u goleuo").check();
    await page.getByRole('button', { name: 'Anfon fy ymateb' }).click();
    await expect(page.getByText("Mae eich ymateb wedi'i gadw.")).toBeVisible();
    await expect(page.getByLabel("Llwybrau wedi'u draenio a'u goleuo")).toBeChecked();
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
    // The demo's garden crew is written in Welsh too; why it fits is said in Welsh.
    const crew = page.locator('.card').filter({ has: page.getByRole('link', { name: 'Criw garddio dydd Sadwrn' }) });
    await expect(crew.locator('.match-reason')).toContainText("o'ch diddordebau");
    await expect(crew.locator('.match-reason')).toContainText('Dydd Sadwrn, yn y bore');
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

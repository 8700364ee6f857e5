import { test, expect, ADMIN, expectAccessible, expectNoSidewaysScroll, hydrated, plainPage, signIn } from './helpers';

// Content in Welsh and English: an organisation that requires both cannot publish a
// consultation until everything residents read in it is written in Welsh; a Welsh reader then
// reads it in Welsh, and a consultation not written in Welsh is shown in English with a note.
test.describe('Welsh content', () => {
  test('an admin requires Welsh, is told what is missing, adds it, publishes, and a Welsh reader reads it', async ({ page, browser }) => {
    const stamp = Date.now();
    const title = `Bus shelters ${stamp}`;
    const welshTitle = `Llochesi bws ${stamp}`;
    await signIn(page, ADMIN);
    await hydrated(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Consultations' }).click();
    await expect(page.getByRole('heading', { name: 'Consultations', level: 1 })).toBeVisible();
    await hydrated(page);
    const rule = page.getByLabel('Publish a consultation only when everything residents read in it is written in Welsh and English');
    try {
      await rule.check();
      await page.getByRole('form', { name: 'Welsh and English' }).getByRole('button', { name: 'Save' }).click();
      await expect(page.getByText('The rule applies the next time a consultation is published.')).toBeVisible();

      // A draft in English only, with one question.
      await page.getByLabel('Title', { exact: true }).fill(title);
      await page.getByLabel('Summary', { exact: true }).fill('Where do you wait for the bus in the rain?');
      await page.getByLabel('Mill Ward').check();
      await page.getByRole('button', { name: 'Create draft' }).click();
      await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
      await page.getByLabel('Question', { exact: true }).fill('Which stop needs a shelter most?');
      await page.getByLabel('Free text').check();
      await page.getByRole('button', { name: 'Add question' }).click();
      await expect(page.getByRole('listitem').filter({ hasText: 'Which stop needs a shelter most?' })).toBeVisible();

      // Publishing is refused, naming what is still to be written in Welsh.
      const status = page.locator('#welsh-status');
      await expect(status).toContainText('the title');
      await expect(status).toContainText('question 1');
      await page.getByLabel('Move it to').selectOption({ label: 'Open for feedback' });
      await page.getByRole('button', { name: 'Change status' }).click();
      await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
      await expect(page.getByText('Add the Welsh for the title, the summary, question 1 first.')).toBeVisible();
      await expect(page.locator('.tag', { hasText: 'Draft' })).toBeVisible();
      await expectAccessible(page, 'a refused publication');

      // The Welsh, added: the details, then the question's own.
      await page.getByText('Edit title, summary, background, dates, areas and themes').click();
      const details = page.getByRole('form', { name: 'Edit title, summary, background, dates, areas and themes' });
      await details.getByLabel('Title in Welsh (optional)').fill(welshTitle);
      await details.getByLabel('Summary in Welsh (optional)').fill("Ble ydych chi'n aros am y bws yn y glaw?");
      await details.getByRole('button', { name: 'Save details' }).click();
      await expect(page.getByText('Residents see the new details straight away.')).toBeVisible();
      const question = page.getByRole('listitem').filter({ hasText: 'Which stop needs a shelter most?' });
      await question.getByText('Welsh for question 1').click();
      await question.getByLabel('Question in Welsh (optional)').fill("Pa safle sydd angen lloches fwyaf?");
      await question.getByRole('button', { name: 'Save the Welsh' }).click();
      await expect(status).toHaveText('Everything residents will read is written in Welsh and English.');
      await expectAccessible(page, 'the manage page with the Welsh written');
      await expectNoSidewaysScroll(page, 'the manage page with the Welsh written');
      await page.getByLabel('Move it to').selectOption({ label: 'Open for feedback' });
      await page.getByRole('button', { name: 'Change status' }).click();
      await expect(page.locator('.tag', { hasText: 'Open for feedback' })).toBeVisible();
    } finally {
      // The rule is the demo organisation's: put it back for the stories that follow.
      const origin = new URL(page.url()).origin;
      // (Not asserted here: a failure above is the one to report.)
      await page.request.post('/api/consultations/manage/welsh-required', { form: {}, headers: { origin } });
    }

    // A Welsh reader with JavaScript off finds it and reads it in Welsh.
    const reader = await browser.newContext({ javaScriptEnabled: false, locale: 'cy-GB' });
    const welsh = await reader.newPage();
    await welsh.goto('/consultations');
    await plainPage(welsh);
    await welsh.getByRole('link', { name: welshTitle }).click();
    await expect(welsh.getByRole('heading', { name: welshTitle, level: 1 })).toBeVisible();
    await expect(welsh.getByLabel('Pa safle sydd angen lloches fwyaf? (dewisol)')).toBeVisible();
    await expect(welsh.locator('#language-note')).toHaveCount(0);
    // axe runs in the page: the same page with JavaScript on (a visitor gets it without wasm).
    const checker = await browser.newContext({ locale: 'cy-GB' });
    const check = await checker.newPage();
    await check.goto(welsh.url());
    await expectAccessible(check, 'a consultation written in Welsh, read in Welsh');
    await checker.close();
    await reader.close();
  });

  test('a Welsh reader of a consultation written only in English is told so, and its words are marked English', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'cy-GB' });
    const page = await context.newPage();
    await page.goto('/consultations');
    await plainPage(page);
    await page.getByRole('link', { name: 'Empty shops on Castle Street' }).click();
    await expect(page.locator('#language-note')).toHaveText(
      "Nid yw'r ymgynghoriad hwn wedi'i ysgrifennu yn Gymraeg eto, felly mae'n cael ei ddangos yn Saesneg.",
    );
    await expect(page.getByRole('heading', { level: 1 })).toHaveAttribute('lang', 'en-GB');
    const checker = await browser.newContext({ locale: 'cy-GB' });
    const check = await checker.newPage();
    await check.goto(page.url());
    await expectAccessible(check, 'an English consultation on a Welsh page');
    await expectNoSidewaysScroll(check, 'an English consultation on a Welsh page');
    await checker.close();
    await context.close();
  });
});

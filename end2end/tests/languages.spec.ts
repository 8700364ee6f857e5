import { test, expect, WORKER, expectAccessible, expectNoSidewaysScroll, hydrated, plainPage, signIn } from './helpers';

// The language switch on every page: a plain form, so it works with JavaScript off; the choice
// is kept in a cookie, and on the account of whoever is signed in.
test.describe('languages', () => {
  test('a resident with JavaScript off switches a consultations page to Welsh and back', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/consultations');
    await plainPage(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en-GB');
    await page.getByRole('button', { name: 'Cymraeg' }).click();
    await expect(page).toHaveURL(/\/consultations$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
    await expect(page.getByRole('link', { name: "Neidio i'r prif gynnwys" })).toBeAttached();
    const menu = page.getByRole('navigation', { name: 'Prif ddewislen' });
    await expect(menu.getByRole('link', { name: 'Ymgynghoriadau' })).toBeVisible();
    // The current language is named, in itself, and is not a button.
    await expect(page.locator('.language-switch [aria-current="true"]')).toHaveText('Cymraeg');
    await expect(page.getByRole('button', { name: 'English' })).toHaveAttribute('lang', 'en-GB');
    // The next page is in Welsh too, until switched back.
    await menu.getByRole('link', { name: 'Gwirfoddoli' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page).toHaveURL(/\/volunteer$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en-GB');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Consultations' })).toBeVisible();
    await context.close();
  });

  test('a browser that asks for Welsh gets Welsh from the first page', async ({ browser }) => {
    const context = await browser.newContext({ locale: 'cy-GB' });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
    await expect(page.getByRole('navigation', { name: 'Prif ddewislen' }).getByRole('link', { name: 'Mewngofnodi' })).toBeVisible();
    await page.goto('/consultations');
    await plainPage(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
    await expectAccessible(page, 'consultations in Welsh');
    await expectNoSidewaysScroll(page, 'consultations in Welsh');
    await context.close();
  });

  test('a resident reads the consultations and volunteering in Urdu: right to left, nothing sideways', async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/consultations');
    await plainPage(page);
    // The switch names Urdu in itself, written right to left even on an English page.
    const urdu = page.getByRole('button', { name: 'اردو' });
    await expect(urdu).toHaveAttribute('lang', 'ur');
    await expect(urdu).toHaveAttribute('dir', 'rtl');
    await urdu.click();
    await expect(page).toHaveURL(/\/consultations$/);
    const html = page.locator('html');
    await expect(html).toHaveAttribute('lang', 'ur');
    await expect(html).toHaveAttribute('dir', 'rtl');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('مشاورتیں');
    await plainPage(page);
    // Laid out from the right: the name of the app heads the header at its right-hand end.
    const brand = await page.locator('.header__brand').boundingBox();
    const width = page.viewportSize()!.width;
    expect(brand!.x + brand!.width, 'the brand is at the right').toBeGreaterThan(width * 0.75);
    expect(brand!.x, 'the brand is at the right').toBeGreaterThan(width / 2);
    const menu = page.getByRole('navigation', { name: 'مرکزی' });
    await expectNoSidewaysScroll(page, 'consultations in Urdu');
    await expectAccessible(page, 'consultations in Urdu');
    // Into a consultation, and on to volunteering through the menu: still Urdu, still right to left.
    await page.locator('main a[href^="/consultations/"]').first().click();
    await expect(page).toHaveURL(/\/consultations\/.+/);
    await expect(html).toHaveAttribute('dir', 'rtl');
    await expectNoSidewaysScroll(page, 'a consultation in Urdu');
    await expectAccessible(page, 'a consultation in Urdu');
    await menu.getByRole('link', { name: 'رضاکار بنیں' }).click();
    await expect(page).toHaveURL(/\/volunteer$/);
    await expect(html).toHaveAttribute('dir', 'rtl');
    await expectNoSidewaysScroll(page, 'volunteering in Urdu');
    await expectAccessible(page, 'volunteering in Urdu');
    // And back to English, left to right.
    await page.getByRole('button', { name: 'English' }).click();
    await expect(html).toHaveAttribute('dir', 'ltr');
    const english = await page.locator('.header__brand').boundingBox();
    expect(english!.x, 'the brand is back at the left').toBeLessThan(width / 2);
    await context.close();
  });

  test('a worker switches to Welsh on the tablet: the app runs in Welsh, and it stays after signing in again', async ({ page }) => {
    await signIn(page, WORKER);
    await page.getByRole('button', { name: 'Cymraeg' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'cy');
    await hydrated(page);
    const menu = page.getByRole('navigation', { name: 'Prif ddewislen' });
    await expect(menu.getByRole('link', { name: 'Hafan' })).toHaveAttribute('aria-current', 'page');
    // Tapping through the menu runs in the app (no page load) and stays in Welsh.
    await menu.getByRole('link', { name: 'Allgymorth' }).click();
    await expect(page).toHaveURL(/\/outreach$/);
    await expect(menu.getByRole('link', { name: 'Allgymorth' })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('button', { name: 'Allgofnodi' })).toBeVisible();
    await expectAccessible(page, 'outreach, Welsh menu');

    // A fresh browser that says English: the account's choice wins once Sam signs in.
    const other = await page.context().browser()!.newContext({ locale: 'en-GB' });
    const desk = await other.newPage();
    await signIn(desk, WORKER);
    await expect(desk.locator('html')).toHaveAttribute('lang', 'cy');
    await desk.getByRole('button', { name: 'English' }).click();
    await expect(desk.locator('html')).toHaveAttribute('lang', 'en-GB');
    await other.close();
  });
});

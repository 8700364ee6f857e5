import { test, expect, signIn, enterCode, hydrated, expectAccessible, expectNoSidewaysScroll, ADMIN, WORKER, ORGANISER, DEMO_PASSWORD } from './helpers';

// The demo data holds six weeks of Sam's and Jo's doorstep conversations at Riverside.

test.describe('Intelligence', () => {
  test('an admin filters by area and theme, sees the charts and tables change, and downloads a table', async ({ page }) => {
    await signIn(page, ADMIN);
    await expect(page.getByRole('heading', { name: 'Hello, Priya' })).toBeVisible();
    await hydrated(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Intelligence' }).click();
    await expect(page.getByRole('heading', { name: 'What the front line is hearing', level: 1 })).toBeVisible();
    const areas = page.getByRole('region', { name: 'Issues raised, by area' });
    await expect(areas.getByRole('table').getByRole('row')).toHaveCount(5); // heading + 4 wards
    await expect(areas.locator('svg[role="img"] title')).toHaveText('Issues raised, by area');
    // Referrals and whether they came back; trends; feeling heard by area.
    const referrals = page.getByRole('region', { name: 'Referrals, by service' });
    await expect(referrals.getByRole('columnheader', { name: 'Came back within 30 days' })).toBeVisible();
    await expect(referrals.getByRole('rowheader').first()).toBeVisible();
    await expect(page.getByRole('region', { name: 'Issues raised, by month' }).getByRole('table')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Feeling heard, by area' }).getByRole('rowheader')).toHaveCount(4);
    await expect(page.getByRole('region', { name: 'Most raised themes in each area' }).getByRole('rowheader')).toHaveCount(4);
    // What each side agreed at the door, and how much of it was kept: four wards, both sides.
    const commitments = page.getByRole('region', { name: 'Commitments kept, by area' });
    await expect(commitments.getByRole('columnheader', { name: 'Kept, of those kept or not (%)' })).toBeVisible();
    await expect(commitments.getByRole('row').filter({ hasText: 'We will' })).toHaveCount(4);
    await expect(commitments.getByRole('row').filter({ hasText: 'You can' })).toHaveCount(4);
    const byTheme = page.getByRole('region', { name: 'Commitments kept, by theme' });
    await expect(byTheme.getByRole('columnheader', { name: 'Theme', exact: true })).toBeVisible();
    await expect(byTheme.getByRole('row').filter({ hasText: 'We will' }).first()).toBeVisible();
    // By the service each named (two in three of the demo's "we will"s name one).
    const byService = page.getByRole('region', { name: 'Commitments kept, by service' });
    await expect(byService.getByRole('columnheader', { name: 'Service', exact: true })).toBeVisible();
    await expect(byService.getByRole('row').filter({ hasText: 'Housing repairs team' }).filter({ hasText: 'We will' })).toHaveCount(1);
    await expect(byService.getByRole('row').filter({ hasText: 'No service named' })).toHaveCount(2);
    await expectAccessible(page, 'the intelligence dashboard');
    await expectNoSidewaysScroll(page, 'the intelligence dashboard');

    await page.getByLabel('Area', { exact: true }).selectOption({ label: 'Mill Ward' });
    await page.getByLabel('Theme', { exact: true }).selectOption({ label: 'Damp and mould' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/area=.*theme=/);
    await expect(areas.getByRole('table').getByRole('row')).toHaveCount(2);
    await expect(areas.getByRole('rowheader')).toHaveText('Mill Ward');
    const themes = page.getByRole('region', { name: 'Issues raised, by theme' });
    await expect(themes.getByRole('rowheader')).toHaveText('Damp and mould');
    await expectAccessible(page, 'the filtered dashboard');

    const link = areas.getByRole('link', { name: /as CSV/ });
    const csv = await page.request.get((await link.getAttribute('href'))!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toMatch(/^Area,Count\nMill Ward,(<5|\d+)\n$/);

    // A date that is not a date: reported, linked to its field, accessible.
    await page.goto('/intelligence?from=2026-02-31');
    await hydrated(page);
    await expect(page.getByRole('alert')).toContainText('Enter the start date as a real date');
    await expect(page.getByRole('region', { name: 'Issues raised, by area' }).getByRole('table')).toBeVisible();
    await expectAccessible(page, 'the dashboard with a bad date');
  });

  test('without JavaScript the filters and tables work', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(ADMIN);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await enterCode(page);
    await expect(page.getByRole('heading', { name: 'Hello, Priya' })).toBeVisible();
    await page.goto('/intelligence');
    await page.getByLabel('Area', { exact: true }).selectOption({ label: 'Castle Ward' });
    await page.getByLabel('Channel', { exact: true }).selectOption({ label: 'Doorstep' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/area=.*kind=doorstep/);
    await expect(page.getByLabel('Channel', { exact: true })).toHaveValue('doorstep');
    const areas = page.getByRole('region', { name: 'Issues raised, by area' });
    await expect(areas.getByRole('rowheader')).toHaveText(['Castle Ward']);
    await expect(areas.getByRole('link', { name: /as CSV/ })).toHaveAttribute('href', /area=.*kind=doorstep/);

    // A date that is not a date is reported, linked to its field, and the rest still works.
    await page.goto('/intelligence?from=2026-02-31&area=');
    const problem = page.getByRole('alert');
    await expect(problem).toContainText('There is a problem');
    await expect(problem.getByRole('link', { name: /Enter the start date as a real date/ })).toHaveAttribute('href', '#from');
    await expect(page.getByLabel('From', { exact: true })).toHaveAttribute('aria-describedby', 'from-error');
    await expect(page.getByRole('region', { name: 'Issues raised, by area' }).getByRole('rowheader')).toHaveCount(4);
    await context.close();
  });

  test("an admin names a worker's team; the admin filters by it and the worker sees the team's figures", async ({ page, browser }) => {
    await signIn(page, ADMIN);
    await expect(page.getByRole('heading', { name: 'Hello, Priya' })).toBeVisible();
    await page.goto('/staff');
    await hydrated(page);
    // A worker is shown their team's figures only in a team of three or more.
    for (const who of [WORKER, 'jo@riverside.example', ADMIN]) {
      const row = page.getByRole('row', { name: new RegExp(who) });
      await row.getByRole('textbox').fill('North');
      await Promise.all([
        page.waitForResponse(r => r.url().includes('/api/staff/set_team')),
        row.getByRole('button', { name: /^Save team for/ }).click(),
      ]);
      await page.reload();
      await hydrated(page);
      await expect(page.getByRole('row', { name: new RegExp(who) }).getByRole('textbox')).toHaveValue('North');
    }
    await page.reload();
    await expect(page.getByRole('row', { name: new RegExp(WORKER) }).getByRole('textbox')).toHaveValue('North');
    await expect(page.getByRole('row', { name: new RegExp(ADMIN) }).getByRole('textbox')).toHaveValue('North');

    await page.goto('/intelligence');
    await page.getByLabel('Team', { exact: true }).selectOption('North');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/team=North/);
    await expect(page.getByRole('region', { name: 'Issues raised, by area' }).getByRole('table')).toBeVisible();
    await expect(page.getByRole('region', { name: /Who is heard/ })).toHaveCount(0);

    const other = await browser.newContext();
    const sam = await other.newPage();
    await signIn(sam, WORKER);
    await expect(sam.getByRole('heading', { name: 'Hello, Sam' })).toBeVisible();
    await sam.goto('/intelligence');
    await sam.getByLabel('Whose figures', { exact: true }).selectOption({ label: 'My team (North)' });
    await sam.getByRole('button', { name: 'Apply filters' }).click();
    await expect(sam.getByText('These are the figures for your team, North.')).toBeVisible();
    await expectAccessible(sam, "the team's dashboard");
    await other.close();
  });

  test('a worker sees their own figures; a group organiser cannot see the dashboard', async ({ page, browser }) => {
    await signIn(page, WORKER);
    await expect(page.getByRole('heading', { name: 'Hello, Sam' })).toBeVisible();
    await page.goto('/intelligence');
    await expect(page.getByText('These are the figures for your own conversations.')).toBeVisible();
    await expect(page.getByLabel('Worker', { exact: true })).toHaveCount(0);
    await expectAccessible(page, 'the dashboard for a worker');

    const other = await browser.newContext();
    const dee = await other.newPage();
    await signIn(dee, ORGANISER);
    await expect(dee.getByRole('heading', { name: 'Hello, Dee' })).toBeVisible();
    await dee.goto('/intelligence');
    await expect(dee.getByRole('heading', { name: 'You cannot see this page' })).toBeVisible();
    expect((await dee.request.get('/intelligence/export/themes')).status()).toBe(403);
    await other.close();
  });
});

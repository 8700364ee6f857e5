import { test, expect, expectAccessible, expectNoSidewaysScroll, hydrated, signIn } from './helpers';

// Every outreach page, on the tablet and on a 360 px phone: accessible, no sideways scrolling,
// and a form that explains each problem.
test('outreach pages are accessible and fit the screen', async ({ page }) => {
  await signIn(page, 'sam@riverside.example');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Sam');
  for (const path of ['/outreach', '/outreach/events', '/outreach/follow-ups']) {
    await page.goto(path);
    await hydrated(page);
    await expectAccessible(page, path);
    await expectNoSidewaysScroll(page, path);
  }
  await page.goto('/outreach/doorstep');
  await hydrated(page);
  await expect(page.getByLabel('Area')).toBeEnabled();
  await page.getByText("Resident's details (optional)").click();
  await page.getByText('Getting involved (optional)').click();
  await expectAccessible(page, 'doorstep form');
  await expectNoSidewaysScroll(page, 'doorstep form');

  await page.getByLabel('Follow-up needed').check();
  await page.getByLabel('Follow up by').fill('');
  await page.getByLabel('Name', { exact: true }).fill('Mo');
  await page.getByRole('button', { name: 'Save conversation' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText([
    'Select the area',
    'Choose the issue that is being referred or followed up',
    'Enter the date the follow-up is due, like 2026-12-01',
    "Record the resident's consent for each purpose before keeping their details",
  ]);
  await expectAccessible(page, 'doorstep form with errors');
  await summary.getByRole('link', { name: 'Select the area' }).click();
  await expect(page.getByLabel('Area')).toBeFocused();
});

import { test, expect, expectAccessible, expectNoSidewaysScroll, signIn, ORGANISER, WORKER } from './helpers';

// A partner group's organiser answers what the council referred to it, on a tablet or a phone.

test('a partner group declines a referral it cannot take, saying why, and only groups see the page', async ({ page }) => {
  await signIn(page, ORGANISER);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Referrals' })).toBeVisible();
  await expect(page.locator('#main-content').getByText('Northside Community Garden', { exact: true })).toBeVisible();
  const card = page.getByRole('listitem').filter({ hasText: 'Waiting to be accepted' }).first();
  await expect(card).toBeVisible();
  await expect(card).toContainText('Sam Okafor, Riverside Borough Council');
  await expectAccessible(page, 'a partner group\'s referrals');
  await expectNoSidewaysScroll(page, 'a partner group\'s referrals');
  const asked = (await card.locator('.summary-list__row').filter({ hasText: 'What they ask' }).locator('dd').textContent()) ?? '';
  expect(asked.length).toBeGreaterThan(10);

  await card.getByRole('button', { name: 'Decline' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary.getByRole('link', { name: 'Say why they could not take it on' })).toBeVisible();
  await expectAccessible(page, 'declining without a reason');
  await summary.getByRole('link', { name: 'Say why they could not take it on' }).click();
  await expect(card.getByLabel('Why you cannot take it on')).toBeFocused();
  await card.getByLabel('Why you cannot take it on').fill('We have no volunteers free until the spring');
  await card.getByRole('button', { name: 'Decline' }).click();
  const declined = page.getByRole('listitem').filter({ hasText: asked });
  await expect(declined).toContainText('Declined');
  await expect(declined).toContainText('We have no volunteers free until the spring');
  await expect(declined.getByRole('button', { name: 'Decline' })).toHaveCount(0);
});

test('an outreach worker is not shown a partner group\'s referrals page', async ({ page }) => {
  await signIn(page, WORKER);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Referrals' })).toHaveCount(0);
  await page.goto('/referrals');
  await expect(page.getByRole('heading', { level: 1, name: 'You cannot see this page' })).toBeVisible();
});

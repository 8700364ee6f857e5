import { test, expect, expectAccessible, expectNoSidewaysScroll, signIn, ADMIN } from './helpers';

// An admin sees where many residents raise the same issue, and sets what counts as a cluster.

test('an admin finds the clusters from the menu and sets what makes one, with errors named', async ({ page }) => {
  await signIn(page, ADMIN);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Community responses' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Community responses' })).toBeVisible();
  const clusters = page.getByRole('list', { name: 'Clusters now' });
  await expect(clusters.getByRole('listitem').first()).toContainText(/: \d+ residents in 30 days/);
  await expectAccessible(page, 'the clusters');
  await expectNoSidewaysScroll(page, 'the clusters');

  await page.getByLabel('How many residents').fill('3');
  await page.getByRole('button', { name: 'Save' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  const link = summary.getByRole('link', { name: /how many residents make a cluster/ });
  await expect(link).toBeVisible();
  await expectAccessible(page, 'the cluster rule with an error');
  await link.click();
  await expect(page.getByLabel('How many residents')).toBeFocused();
  // So many that none is a cluster, then back to the demo's five.
  await page.getByLabel('How many residents').fill('500');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('No issue has been raised by 500 or more residents in one area in the last 30 days.')).toBeVisible();
  await page.getByLabel('How many residents').fill('5');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(clusters.getByRole('listitem').first()).toBeVisible();
});

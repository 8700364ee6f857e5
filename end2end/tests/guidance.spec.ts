import { test, expect, signIn, hydrated, plainPage, expectAccessible, expectNoSidewaysScroll, ADMIN } from './helpers';

// "What you can do": an admin keeps each theme's guidance; residents read it on a plain page.

test('an admin keeps what residents can do about a theme, and a resident reads it from the menu', async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page.getByRole('heading', { name: 'Hello, Priya' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'What residents can do' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('What residents can do');
  const parks = page.getByRole('region', { name: 'Parks and green spaces' });
  const steps = parks.getByLabel('What a resident can do themselves');
  // Too many things at once: the summary names the field and takes you to it.
  await steps.fill(Array.from({ length: 9 }, (_, n) => `Thing ${n + 1}`).join('\n'));
  await parks.getByRole('button', { name: 'Save guidance on Parks and green spaces' }).click();
  const problem = parks.getByRole('alert').filter({ hasText: 'There is a problem' });
  await problem.getByRole('link', { name: /Keep it to 8 things or fewer/ }).click();
  await expect(steps).toBeFocused();
  await expectAccessible(page, 'guidance with an error');
  await steps.fill('Join the Friends of Mill Park litter pick\nReport broken play equipment online');
  await parks.getByLabel('Local groups and contacts that help (optional)').fill('Friends of Mill Park: first Saturday of the month, 10am at the gates');
  await parks.getByRole('button', { name: 'Save guidance on Parks and green spaces' }).click();
  await expect(parks.getByRole('status')).toContainText('Saved');
  await expectAccessible(page, 'what residents can do');
  await expectNoSidewaysScroll(page, 'what residents can do');
  await page.getByRole('link', { name: 'What you can do' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: 'Friends of Mill Park: first Saturday of the month' }).first()).toBeVisible();
});

test('a resident with no account and no JavaScript finds what they can do about damp from the menu', async ({ browser, viewport }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport });
  const resident = await context.newPage();
  await resident.goto('/');
  await resident.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'What you can do' }).click();
  await expect(resident.getByRole('heading', { level: 1 })).toHaveText('What you can do');
  await plainPage(resident);
  await resident.getByLabel('Issue').selectOption({ label: 'Damp and mould' });
  await resident.getByRole('button', { name: 'Show' }).click();
  await expect(resident).toHaveURL(/theme=/);
  const card = resident.locator('li.card').filter({ hasText: 'Wipe condensation off windows and sills every morning' });
  await expect(card.getByRole('heading', { name: 'Damp and mould' })).toBeVisible();
  await expect(card).toContainText("Riverside Tenants' Association");
  await expect(resident.getByText('Report the repair online or by phone')).toHaveCount(0);
  // (axe needs scripts in the page: it checks the same page in a context with them on.)
  const checker = await browser.newContext({ viewport });
  const check = await checker.newPage();
  await check.goto(resident.url());
  await plainPage(check);
  await expectAccessible(check, 'what you can do');
  await expectNoSidewaysScroll(check, 'what you can do');
  await checker.close();
  await context.close();
});

import { test, expect, expectAccessible, expectNoSidewaysScroll, goOnlineOnce, signIn, status, ADMIN } from './helpers';
import { linkIn, waitForMail } from './mail';

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

test('a cluster becomes a community response: a resident behind it is invited by email and signs up for its meeting', async ({ page, browser }) => {
  // Three people, three devices and an email: longer than one page's story.
  test.setTimeout(90_000);
  // The admin looks for a cluster to answer, on this run's screen (each run answers another
  // cluster: one with no response open yet).
  const admin = page;
  await signIn(admin, ADMIN);
  await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Community responses' }).click();
  const card = admin.getByRole('list', { name: 'Clusters now' }).getByRole('listitem')
    .filter({ has: admin.getByRole('link', { name: /Open a community response/ }) }).first();
  const [theme, area] = ((await card.getByRole('heading').textContent()) ?? '').split(', ');
  expect(area, 'a cluster is "Theme, Area"').toBeTruthy();

  // A worker meets one more resident about it, who leaves an email and agrees to hear back.
  const email = `robin.${Date.now()}@door.example`;
  const outreach = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true });
  const tablet = await outreach.newPage();
  await goOnlineOnce(tablet);
  await tablet.getByRole('link', { name: 'Record a doorstep conversation' }).click();
  await expect(tablet.getByLabel('Area')).toBeEnabled();
  await tablet.getByLabel('Area').selectOption({ label: area });
  await tablet.getByLabel(theme, { exact: true }).check();
  await tablet.getByText("Resident's details (optional)").click();
  await tablet.getByLabel('Name', { exact: true }).fill('Robin Hart');
  await tablet.getByLabel('Phone or email').fill(email);
  await tablet.getByRole('group', { name: /We can contact you about the issue you raised today/ }).getByLabel('Yes').check();
  await tablet.getByRole('button', { name: 'Save conversation' }).click();
  await expect(tablet.getByRole('status').filter({ hasText: 'Saved on this tablet' })).toBeVisible();
  await tablet.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(await status(tablet)).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await outreach.close();

  // The admin opens a response on the cluster, with a meeting next week.
  await admin.reload();
  await admin.getByRole('listitem').filter({ hasText: `${theme}, ${area}` }).getByRole('link', { name: /Open a community response/ }).click();
  await expect(admin.getByRole('heading', { level: 1, name: 'Open a community response' })).toBeVisible();
  await admin.getByRole('button', { name: 'Open the community response' }).click();
  await expect(admin.getByRole('alert').filter({ hasText: 'There is a problem' }).getByRole('link', { name: 'Say what the organisation will do' })).toBeVisible();
  await expectAccessible(admin, 'opening a community response with an error');
  await admin.getByLabel('What we will do').fill('Inspect every home that reported it within two weeks, and fix what we find.');
  await admin.getByLabel('What residents can do (optional)').fill('Tell us the day it happens again.');
  await admin.getByLabel('What the meeting is').fill('Street meeting');
  await admin.getByLabel('Where').fill('Mill Library');
  const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  await admin.getByLabel('Date').fill(nextWeek);
  await admin.getByRole('button', { name: 'Open the community response' }).click();
  await expect(admin.getByRole('heading', { level: 2, name: 'What we will do' })).toBeVisible();

  // Robin follows the link in the email, on a phone without JavaScript, and signs up.
  const mail = await waitForMail(email, /working together on/);
  const phoneSize = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
  // (axe runs in the page: checked with scripts allowed, on the same plain page.)
  const checking = await browser.newContext(phoneSize);
  const check = await checking.newPage();
  await check.goto(linkIn(mail, '/together/'));
  await expect(check.getByRole('heading', { level: 2, name: 'Meet us' })).toBeVisible();
  await expectAccessible(check, 'a community response, invited');
  await expectNoSidewaysScroll(check, 'a community response, invited');
  await checking.close();
  const phone = await browser.newContext({ ...phoneSize, javaScriptEnabled: false });
  const robin = await phone.newPage();
  await robin.goto(linkIn(mail, '/together/'));
  await expect(robin.getByText('Inspect every home that reported it')).toBeVisible();
  await robin.getByRole('button', { name: 'Sign up for the meeting' }).click();
  await expect(robin.getByText('You have signed up')).toBeVisible();
  await phone.close();

  // The admin sees it, and from the response's own page links volunteering that helps, then
  // tells the residents what was done and closes it.
  await admin.goto('/community');
  const ours = admin.getByRole('list', { name: 'Responses' }).getByRole('listitem').first();
  await expect(ours).toContainText('1 signed up for the meeting');
  await ours.getByRole('link').click();
  await expect(admin.getByRole('heading', { level: 2, name: 'Post a progress update' })).toBeVisible();
  await expectAccessible(admin, 'a community response, as its admin sees it');
  const chosen = ((await admin.getByLabel('Volunteering opportunity').locator('option').first().textContent()) ?? '').trim();
  await admin.getByRole('button', { name: 'Link it to this response' }).click();
  await expect(admin.getByRole('list', { name: 'Volunteer to help' })).toContainText(chosen);
  // Linked by mistake: taken off, then linked again.
  await admin.getByRole('button', { name: `Take off “${chosen}”` }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'Taken off this response' })).toBeVisible();
  await expect(admin.getByRole('list', { name: 'Volunteer to help' })).toHaveCount(0);
  await admin.getByLabel('Volunteering opportunity').selectOption({ label: chosen });
  await admin.getByRole('button', { name: 'Link it to this response' }).click();
  await expect(admin.getByRole('list', { name: 'Volunteer to help' })).toContainText(chosen);
  await expectAccessible(admin, 'a community response with an opportunity linked');
  await admin.getByRole('button', { name: 'Post the update' }).click();
  const problem = admin.getByRole('alert').filter({ hasText: 'There is a problem' }).getByRole('link', { name: 'Say what has been done since' });
  await problem.click();
  await expect(admin.getByLabel('What has been done since')).toBeFocused();
  await admin.getByLabel('What has been done since').fill('Inspected nine homes; repairs are booked for every one of them.');
  await admin.getByLabel('This is the last update: close the response').check();
  await admin.getByRole('button', { name: 'Post the update' }).click();
  await expect(admin.getByText('Update posted')).toBeVisible();
  await expect(admin.getByRole('list', { name: 'You said, we did' })).toContainText(/Sent to \d+ resident/);
  await expect(admin.getByRole('heading', { level: 2, name: 'Post a progress update' })).toHaveCount(0);

  // Robin reads it from the email on the phone, and finds the volunteering from there.
  const update = await waitForMail(email, /an update on/);
  const again = await browser.newContext({ ...phoneSize, javaScriptEnabled: false });
  const reading = await again.newPage();
  await reading.goto(linkIn(update, '/together/'));
  await expect(reading.getByRole('list', { name: 'You said, we did' })).toContainText('repairs are booked for every one of them');
  await expect(reading.getByText('Closed', { exact: true })).toBeVisible();
  await reading.getByRole('list', { name: 'Volunteer to help' }).getByRole('link', { name: chosen }).click();
  await expect(reading.getByRole('heading', { level: 1, name: chosen })).toBeVisible();
  await again.close();
});

import { test, expect, expectAccessible, expectNoSidewaysScroll, hydrated, plainPage, signIn, ADMIN, ORGANISER, RESIDENT, DEMO_PASSWORD } from './helpers';

// Data protection: an admin answers a resident's subject access request, and an erasure reaches
// the tablet that met them.

test('an admin finds a resident, sees everything held, logs their request and downloads it all', async ({ page }, testInfo) => {
  await signIn(page, ADMIN);
  await page.getByRole('link', { name: 'Data protection' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Data protection');
  await hydrated(page);
  const who = testInfo.project.name === 'tablet' ? 'Demo resident 3' : 'Demo resident 4';
  await page.getByRole('searchbox', { name: 'Find a resident' }).fill(who);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('heading', { name: 'Residents found' })).toBeVisible();
  await expectAccessible(page, 'residents found');
  await expectNoSidewaysScroll(page, 'residents found');
  await hydrated(page);
  await page.getByRole('link', { name: who, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Records held about ${who}`);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Conversations', exact: true })).toBeVisible();
  await expect(page.getByText('Lawful basis: public task').first()).toBeVisible();

  // A request with nothing chosen is refused and says why; then logged properly.
  await page.getByRole('button', { name: 'Log the request' }).click();
  await expect(page.getByRole('alert')).toContainText('Select what the resident asked for');
  await expectAccessible(page, 'request error');
  await page.getByLabel('Subject access (a copy of their data)').check();
  await page.getByRole('button', { name: 'Log the request' }).click();
  const requests = page.getByRole('group', { name: 'Requests from this resident' });
  await expect(requests).toContainText('Subject access (a copy of their data)');
  await expect(requests).toContainText('Open');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download everything (JSON and CSV)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^subject-access-.+\.zip$/);
  await expectAccessible(page, 'a resident\'s records');
  await expectNoSidewaysScroll(page, 'a resident\'s records');

  await page.getByRole('button', { name: /^Mark answered/ }).click();
  await expect(requests).toContainText('Answered');

  // Reloaded (a GET, as a bookmark or a link would be), the page shows and records nothing
  // until asked; asking is a POST, and the records come back.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A resident\'s records');
  await expect(page.getByRole('heading', { name: 'Conversations', exact: true })).toHaveCount(0);
  await expectAccessible(page, 'a resident\'s records, before they are opened');
  await page.getByRole('button', { name: 'Show their records' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Records held about ${who}`);
  await expect(page.getByRole('group', { name: 'Requests from this resident' })).toContainText('Answered');

  // The audit log shows the export, by whom.
  await page.goto('/privacy/audit');
  await hydrated(page);
  await page.getByLabel('What').selectOption({ label: 'Exported' });
  await page.getByRole('button', { name: 'Show' }).click();
  const entries = page.getByRole('group', { name: 'Audit entries' });
  await expect(entries).toContainText('Priya');
  await expect(entries).toContainText('Exported');
  await expectAccessible(page, 'audit log');
  await expectNoSidewaysScroll(page, 'audit log');
  // A date that is not a date is named, and the rest still works.
  await page.goto('/privacy/audit?from=yesterday');
  await expect(page.getByRole('alert')).toContainText('“yesterday” is not a date');
});

test('an erased resident disappears from the tablet that met them at its next sync', async ({ page, browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'tablet', 'outreach runs on tablets');
  const name = `Zed Erasable ${Date.now()}`;
  await signIn(page, 'jo@riverside.example');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Jo');
  await page.goto('/outreach');
  await hydrated(page);
  await page.getByRole('link', { name: 'Record a doorstep conversation' }).click();
  await expect(page.getByLabel('Area')).toBeEnabled();
  await page.getByLabel('Area').selectOption({ label: 'Mill Ward' });
  await page.getByLabel('Address or street (optional)').fill('3 Erasure Close');
  await page.getByLabel('Transport').check();
  await page.getByLabel('Follow-up needed').check();
  await page.getByLabel('Notes').fill(`${name} asked about the bus`);
  await page.getByText("Resident's details (optional)").click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Phone or email').fill('zed@erasable.example');
  await page.getByRole('group', { name: 'We can contact you about the issue you raised today.' }).getByLabel('Yes').check();
  await page.getByRole('button', { name: 'Save conversation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this tablet' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(page.getByTestId('sync-status')).toContainText('everything on this tablet has been sent', { timeout: 20_000 });
  await page.getByRole('link', { name: 'My follow-ups' }).click();
  await expect(page.getByText(`Resident: ${name}`)).toBeVisible();
  expect(await page.evaluate((n) => JSON.stringify(localStorage).includes(n), name), 'the tablet holds them').toBe(true);

  // The resident asks to be erased; an admin does it.
  const office = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const admin = await office.newPage();
  await signIn(admin, ADMIN);
  await expect(admin.getByRole('heading', { level: 1 })).toContainText('Hello');
  await admin.goto(`/privacy?q=${encodeURIComponent(name)}`);
  // Once the app runs in the page, following the link opens the records (a POST, audited).
  await hydrated(admin);
  await admin.getByRole('link', { name, exact: true }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText(`Records held about ${name}`);
  await hydrated(admin);
  await admin.getByRole('button', { name: 'Erase their personal data' }).click();
  await expect(admin.getByRole('alert')).toContainText('Tick the box to confirm');
  await admin.getByLabel('I have checked this is the right resident').check();
  await admin.getByRole('button', { name: 'Erase their personal data' }).click();
  await expect(admin.getByText('Personal data erased', { exact: true })).toBeVisible();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Records held about an erased resident');
  await office.close();

  // The tablet's next sync drops them: from the follow-ups list and from everything it stores.
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect.poll(() => page.evaluate((n) => JSON.stringify(localStorage).includes(n), name), { timeout: 20_000 }).toBe(false);
  await page.getByRole('link', { name: 'My follow-ups' }).click();
  await expect(page.getByText('Transport').first()).toBeVisible();
  await expect(page.getByText(name)).toHaveCount(0);
  await expect(page.getByText('3 Erasure Close')).toHaveCount(0);
});

test('a worker records a withdrawal offline; after sync the group no longer sees the resident among its suggestions', async ({ page, context, browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'tablet', 'outreach runs on tablets');
  const name = `Aaron Withdraws ${Date.now()}`;
  await signIn(page, 'jo@riverside.example');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Jo');
  await page.goto('/outreach');
  await hydrated(page);
  await page.getByRole('link', { name: 'Record a doorstep conversation' }).click();
  await expect(page.getByLabel('Area')).toBeEnabled();
  await page.getByLabel('Area').selectOption({ label: 'Mill Ward' });
  await page.getByLabel('Transport').check();
  await page.getByLabel('Follow-up needed').check();
  await page.getByText("Resident's details (optional)").click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Phone or email').fill('aaron@withdraws.example');
  await page.getByRole('group', { name: 'We can contact you about the issue you raised today.' }).getByLabel('Yes').check();
  await page.getByText('Getting involved (optional)').click();
  await page.getByRole('group', { name: 'Interests' }).getByLabel('Litter picking').check();
  await page.getByLabel('When are they free?').fill('weekends');
  await page.getByRole('group', { name: /We can tell you about volunteering opportunities/ }).getByLabel('Yes').check();
  await page.getByRole('button', { name: 'Save conversation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved on this tablet' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(page.getByTestId('sync-status')).toContainText('everything on this tablet has been sent', { timeout: 20_000 });

  // The garden group is offered them.
  const group = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const dee = await group.newPage();
  await signIn(dee, ORGANISER);
  await expect(dee.getByRole('heading', { level: 1 })).toContainText('Hello');
  await dee.goto('/manage/opportunities');
  await dee.getByRole('link', { name: 'Mill Ward winter litter pick' }).click();
  const suggested = dee.getByRole('region', { name: 'Suggested volunteers' });
  await expect(suggested).toContainText(name);

  // At the door again, offline, they say they no longer want to hear about volunteering.
  await page.getByRole('link', { name: 'My follow-ups' }).click();
  const card = page.getByRole('listitem').filter({ hasText: `Resident: ${name}` });
  await expect(card).toBeVisible();
  await context.setOffline(true);
  await card.getByRole('button', { name: 'Change what they agree to' }).click();
  await card.getByRole('button', { name: 'Save their answer' }).click();
  await expect(card.getByRole('alert')).toContainText('Select what they changed their mind about');
  await card.getByLabel('Volunteering opportunities, with their details passed to local groups').check();
  await card.getByLabel('No, stop').check();
  await expectAccessible(page, 'a change of consent');
  await card.getByRole('button', { name: 'Save their answer' }).click();
  await expect(card).toContainText('Consent change waiting to sync');
  await context.setOffline(false);
  await page.getByRole('link', { name: 'Back to outreach' }).click();
  await expect(page.getByTestId('sync-status')).toContainText('everything on this tablet has been sent', { timeout: 20_000 });

  await dee.reload();
  await expect(dee.getByRole('region', { name: 'Suggested volunteers' })).toBeVisible();
  await expect(dee.getByText(name)).toHaveCount(0);
  await group.close();
});

test('a resident sees what they agree to and changes it, with or without JavaScript', async ({ page, browser }, testInfo) => {
  await signIn(page, RESIDENT);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Your data' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your data and what you agree to');
  await plainPage(page);
  await expectAccessible(page, 'your data');
  await expectNoSidewaysScroll(page, 'your data');
  const volunteering = page.getByRole('group', { name: /We can tell you about volunteering opportunities/ });
  const answer = testInfo.project.name === 'tablet' ? 'Yes' : 'No';
  await volunteering.getByLabel(answer, { exact: true }).check();
  await page.getByRole('button', { name: 'Save my choices' }).click();
  await expect(page.getByText('Your choices are saved')).toBeVisible();
  await expect(volunteering).toContainText(`You said ${answer.toLowerCase()} on`);
  await expect(page.getByRole('group', { name: 'Your decisions so far' })).toContainText('You, online');
  await expectAccessible(page, 'your data, saved');

  // Without JavaScript the same form works: a plain post, and the page shows the new state.
  const plain = await browser.newContext({ javaScriptEnabled: false, baseURL: testInfo.project.use.baseURL, viewport: testInfo.project.use.viewport });
  const p = await plain.newPage();
  await p.goto('/sign-in');
  await p.getByLabel('Email address').fill(RESIDENT);
  await p.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await p.getByRole('button', { name: 'Sign in', exact: true }).click();
  await p.goto('/my-data');
  const contact = p.getByRole('group', { name: 'We can contact you about the issue you raised today.' });
  await contact.getByLabel('No', { exact: true }).check();
  await p.getByRole('button', { name: 'Save my choices' }).click();
  await expect(p.getByText('Your choices are saved')).toBeVisible();
  await expect(p.getByRole('group', { name: 'We can contact you about the issue you raised today.' })).toContainText('You said no on');
  await expectNoSidewaysScroll(p, 'your data without JavaScript');
  await plain.close();
});

test('an admin sets how long records are kept and checks a run first', async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Hello');
  await page.goto('/privacy/retention');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('How long records are kept');
  await hydrated(page);
  const notes = page.getByRole('region', { name: 'Addresses and notes in conversations and follow-ups' });
  await notes.getByLabel('Kept for (months)').fill('two years');
  await notes.getByRole('button', { name: /^Save/ }).click();
  await expect(notes.getByRole('alert')).toContainText('Enter a whole number of months from 1 to 120');
  await expectAccessible(page, 'retention error');
  await notes.getByLabel('Kept for (months)').fill('36');
  await notes.getByRole('button', { name: /^Save/ }).click();
  await expect(notes.getByRole('status')).toContainText('Saved');
  await page.getByRole('button', { name: 'Check what would change' }).click();
  await expect(page.getByRole('heading', { name: /^Dry run on .* by Priya Shah$/ }).first()).toBeVisible();
  await expect(page.getByRole('group', { name: /^Dry run on/ }).first()).toContainText('36 months');
  await expectAccessible(page, 'retention');
  await expectNoSidewaysScroll(page, 'retention');
});

// People joining: a resident makes an account, confirms it from the email, and gets involved.
import type { Page } from '@playwright/test';
import { test, expect, expectAccessible, expectNoSidewaysScroll, hydrated, signIn, ADMIN } from './helpers';
import { linkIn, waitForMail } from './mail';

async function register(page: Page, name: string, email: string, password: string) {
  await page.goto('/');
  await page.getByRole('link', { name: 'Create an account' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create an account');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('status')).toContainText('We have sent a link to the address you gave');
}

for (const javaScriptEnabled of [false, true]) {
  test(`a resident (JavaScript ${javaScriptEnabled ? 'on' : 'off'}) makes an account, confirms it from the email, signs in and sets a volunteer profile`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    const email = `rowan.${javaScriptEnabled ? 'js' : 'nojs'}.${Date.now()}@example.org`;
    const password = 'velvet otter compass';
    await register(page, 'Rowan Price', email, password);

    // Not yet: the address is not confirmed, and the page says how to get a new link.
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('Confirm your email address first');
    await expect(page.getByRole('link', { name: 'Send the link again' })).toHaveAttribute('href', '/verify-email');

    const mail = await waitForMail(email, /Confirm your email address/);
    expect(mail.html).toContain('Confirm your email address');
    await page.goto(linkIn(mail, '/verify-email/'));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confirm your email address');
    // The password shows it was Rowan who made the account.
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await expect(page.getByRole('alert').getByRole('link', { name: /Enter the password you chose/ })).toHaveAttribute('href', '#password');
    await page.getByLabel('Your password').fill(password);
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await expect(page.getByRole('status')).toContainText('Your email address is confirmed');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Rowan');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Volunteer', exact: true }).click();
    await page.getByRole('link', { name: 'Tell us what you like doing and when you are free' }).click();
    await page.getByRole('group', { name: 'What are you interested in?' }).getByLabel('Gardening').check();
    await page.getByRole('group', { name: 'Which areas can you get to?' }).getByLabel('Mill Ward').check();
    await page.getByLabel('Saturday mornings').check();
    await page.getByLabel('25 to 64').check();
    await page.getByRole('button', { name: 'Save and see my matches' }).click();
    await expect(page.getByText('Profile saved')).toBeVisible();
    await context.close();
  });
}

test('the pages for joining are accessible and fit the screen, errors included', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/register');
  await expectAccessible(page, 'create an account');
  await expectNoSidewaysScroll(page, 'create an account');
  await page.getByRole('button', { name: 'Create account' }).click();
  const problem = page.getByRole('alert');
  await expect(problem.getByRole('link', { name: 'Enter your name' })).toHaveAttribute('href', '#display_name');
  await expect(problem.getByRole('link', { name: 'Enter an email address' })).toHaveAttribute('href', '#email');
  await expectAccessible(page, 'create an account, with errors');
  await page.goto('/verify-email');
  await expectAccessible(page, 'send the confirmation link again');
  await page.goto(`/verify-email/${'0'.repeat(64)}`);
  await expect(page.getByRole('link', { name: 'Ask for the link again' })).toBeVisible();
  await expectAccessible(page, 'a confirmation link that is not right');
  await context.close();
});

// One resident, not two. The demo's residents 7 and 8 gave their email address at the door and
// agreed to be invited to have their say; each makes an account with that address (one per
// project, as both run against the same server).
test('a resident met at the door makes an account with the address they gave, says the door record is theirs, and the admin sees one person', async ({ browser, page }, testInfo) => {
  test.slow(); // a whole journey: registration, two emails, two people signing in
  const phone = testInfo.project.name === 'phone';
  const who = `Demo resident ${phone ? 8 : 7}`;
  const email = `demo.resident${phone ? 8 : 7}@residents.example`;
  const password = 'lantern meadow quartz';
  // On the phone without JavaScript: every step is a plain form.
  const context = await browser.newContext({ javaScriptEnabled: !phone });
  const resident = await context.newPage();
  await register(resident, who, email, password);
  const mail = await waitForMail(email, /Confirm your email address/);
  await resident.goto(linkIn(mail, '/verify-email/'));
  await resident.getByLabel('Your password').fill(password);
  await resident.getByRole('button', { name: 'Confirm my email address' }).click();
  await expect(resident.getByRole('status')).toContainText('Your email address is confirmed');
  await resident.getByLabel('Email address').fill(email);
  await resident.getByLabel('Password', { exact: true }).fill(password);
  await resident.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(resident.getByRole('heading', { level: 1 })).toHaveText('Hello, Demo');

  await resident.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Your data' }).click();
  await expect(resident.getByRole('heading', { level: 1 })).toHaveText('Your data and what you agree to');
  const question = resident.getByRole('region', { name: 'Is this you?' });
  await expect(question).toContainText('your email address');
  await expect(question).toContainText(email);
  const invitations = resident.getByRole('group', { name: /We can invite you to have your say/ });
  await expect(invitations).toContainText('You have not been asked yet.');
  await expectNoSidewaysScroll(resident, 'your data, asked whether a door record is yours');
  // axe needs JavaScript in the page: on the phone it checks the same page in a second context.
  const checker = phone ? await browser.newContext() : context;
  const check = phone ? await checker.newPage() : resident;
  if (phone) {
    await check.goto('/sign-in');
    await check.getByLabel('Email address').fill(email);
    await check.getByLabel('Password', { exact: true }).fill(password);
    await check.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(check.getByRole('heading', { level: 1 })).toHaveText('Hello, Demo');
    await check.goto('/my-data');
    await expect(check.getByRole('region', { name: 'Is this you?' })).toBeVisible();
  }
  await expectAccessible(check, 'your data, asked whether a door record is yours');

  await question.getByRole('button', { name: 'Yes, that was me' }).click();
  if (!phone) {
    await expect(resident.getByRole('status')).toContainText('We keep that record with your account');
  }
  // What they agreed to at the door is theirs online now, and they are not asked again.
  await expect(invitations).toContainText('You said yes on');
  await expect(resident.getByRole('region', { name: 'Is this you?' })).toHaveCount(0);
  await expect(resident.getByRole('group', { name: 'Your decisions so far' })).toContainText('At the door');
  if (phone) await check.reload();
  await expect(check.getByRole('group', { name: 'Your decisions so far' })).toContainText('At the door');
  await expectAccessible(check, 'your data, door record linked');
  await context.close();
  if (phone) await checker.close();

  // The admin finds either record and sees the same person, with a way to unlink them.
  await signIn(page, ADMIN);
  await page.getByRole('link', { name: 'Data protection' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Data protection');
  await hydrated(page);
  await page.getByRole('searchbox', { name: 'Find a resident' }).fill(email);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('heading', { name: 'Residents found' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('link', { name: who, exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Records held about ${who}`);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'The same person' })).toBeVisible();
  await expect(page.getByRole('button', { name: `Unlink ${who}` })).toBeVisible();
  await expectAccessible(page, 'a resident\'s records, linked as one person');
  await expectNoSidewaysScroll(page, 'a resident\'s records, linked as one person');
});

import {
  test, expect,
  ADMIN, WORKER, ORGANISER, RESIDENT, DEMO_PASSWORD,
  expectAccessible, expectNoSidewaysScroll, hydrated, onStaffTablet, ready, signIn,
} from './helpers';
import { linkIn, waitForMail } from './mail';

test.describe('signing in', () => {
  test('an outreach worker signs in on a tablet and sees their home page', async ({ page }) => {
    await signIn(page, WORKER);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Sam');
    await expect(page.getByText('Outreach worker · Riverside Borough Council')).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('link', { name: 'Staff accounts' })).toHaveCount(0);
    await expectAccessible(page, 'worker home');
    await expectNoSidewaysScroll(page, 'worker home');
  });

  test('on a staff tablet the sign-in page runs the app: Show reveals the password', async ({ page }) => {
    await onStaffTablet(page);
    const password = page.getByLabel('Password', { exact: true });
    await password.fill('secret words here');
    await expect(password).toHaveAttribute('type', 'password');
    await page.getByRole('button', { name: 'Show password' }).click();
    await expect(password).toHaveAttribute('type', 'text');
    await page.getByRole('button', { name: 'Hide password' }).click();
    await expect(password).toHaveAttribute('type', 'password');
  });

  test('a wrong password shows the error summary, focused, linking to the field', async ({ page }) => {
    await onStaffTablet(page);
    await signIn(page, ORGANISER, 'not my password');
    const summary = page.getByRole('alert');
    await expect(summary).toContainText('There is a problem');
    await expect(summary).toBeFocused();
    const link = summary.getByRole('link', { name: 'The email address or password is incorrect.' });
    await expect(page).toHaveTitle('Sign in – Mobilise');
    await expectAccessible(page, 'sign-in with an error');
    await link.click();
    await expect(page.getByLabel('Email address')).toBeFocused();
    await expect(page.getByLabel('Email address'), 'what was typed is kept').toHaveValue(ORGANISER);
  });

  test('missing details get a message on each field', async ({ page }) => {
    await page.goto('/sign-in');
    await ready(page);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('alert').getByRole('link')).toHaveText(['Enter your email address', 'Enter your password']);
    await expect(page.locator('#email-error')).toHaveText('Error: Enter your email address');
    await expect(page.getByLabel('Email address')).toHaveAttribute('aria-describedby', 'email-error');
    await expectAccessible(page, 'sign-in with field errors');
  });

  test('signing out ends the session', async ({ page }) => {
    await signIn(page, RESIDENT);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Alex');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('status')).toContainText('You have been signed out.');
    await page.goto('/staff');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to continue');
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a resident signs in and a wrong password still gets the error summary', async ({ page, browser }) => {
    await page.goto('/sign-in');
    await expect(page.getByRole('button', { name: 'Show password' }), 'no dead buttons without JavaScript').toBeHidden();
    await page.getByLabel('Email address').fill(RESIDENT);
    await page.getByLabel('Password', { exact: true }).fill('wrong password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('The email address or password is incorrect.');
    // axe-core needs JavaScript to run: check the same server-rendered error page in a normal tab.
    const jsContext = await browser.newContext({ javaScriptEnabled: true });
    const withJs = await jsContext.newPage();
    await withJs.goto(page.url());
    await expect(withJs.getByRole('alert')).toContainText('The email address or password is incorrect.');
    await expectAccessible(withJs, 'sign-in error as served to a browser without JavaScript');
    await jsContext.close();

    await page.getByLabel('Email address').fill(RESIDENT);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Alex');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('status')).toContainText('You have been signed out.');
  });
});

test.describe('staff accounts', () => {
  test('an admin invites an outreach worker, who chooses a password and signs in', async ({ page, browser }) => {
    await signIn(page, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff accounts' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Staff accounts');
    await expect(page.getByRole('cell', { name: WORKER })).toBeVisible();
    await expectAccessible(page, 'staff accounts');
    await expectNoSidewaysScroll(page, 'staff accounts');

    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('alert').getByRole('link')).toHaveText(['Enter an email address', 'Enter their full name', "Select the account's role"]);
    await expectAccessible(page, 'staff form with errors');

    const email = `kim.${Date.now()}@riverside.example`;
    await page.getByLabel('Full name').fill('Kim Lee');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Outreach worker').check();
    await page.getByRole('button', { name: 'Create account' }).click();
    const banner = page.getByRole('status');
    await expect(banner).toContainText('Invitation sent');
    await expect(banner).toContainText(`We have emailed Kim Lee at ${email}`);
    await expect(page.getByRole('row', { name: new RegExp(email) })).toContainText('Invited');

    // Kim follows the link in the email the loopback mail server received.
    const invitation = await waitForMail(email, /invited to Mobilise/);
    expect(invitation.headers.get('to')).toContain('Kim Lee');
    expect(invitation.html).toContain('Choose your password');
    const link = linkIn(invitation, '/invite/');
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/invite\/[0-9a-f]{64}$/);
    const kimContext = await browser.newContext();
    const kim = await kimContext.newPage();
    await kim.goto(link);
    await ready(kim);
    await expect(kim.getByRole('heading', { level: 1 })).toHaveText('Choose your password');
    await expectAccessible(kim, 'invitation page');
    await kim.getByLabel('Password', { exact: true }).fill('short');
    await kim.getByLabel('Confirm password').fill('short');
    await kim.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(kim.getByRole('alert')).toContainText('Password must be 10 characters or more');
    await kim.getByLabel('Password', { exact: true }).fill('plum tractor meadow');
    await kim.getByLabel('Confirm password').fill('plum tractor meadow');
    await kim.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(kim.getByRole('heading', { level: 1 })).toHaveText('Hello, Kim');
    const kimNav = kim.getByRole('navigation', { name: 'Main' });
    await expect(kimNav.getByRole('link', { name: 'Consultations' })).toHaveAttribute('href', '/consultations');

    await page.reload();
    const row = page.getByRole('row', { name: new RegExp(email) });
    await expect(row).toContainText('Active');
    // The admin lets Kim run consultations; Kim's next page knows it.
    await expect(row.getByRole('cell').nth(4)).toHaveText(/^No/);
    await hydrated(page);
    await row.getByRole('button', { name: 'Allow Kim Lee running consultations' }).click();
    await expect(row.getByRole('button', { name: 'Stop Kim Lee running consultations' })).toBeVisible();
    await expect(row.getByRole('cell').nth(4)).toHaveText(/^Yes/);
    await kim.reload();
    await expect(kimNav.getByRole('link', { name: 'Consultations' })).toHaveAttribute('href', '/manage/consultations');
    await kimNav.getByRole('link', { name: 'Consultations' }).click();
    await expect(kim.getByRole('heading', { name: 'Start a consultation' })).toBeVisible();

    // Weeks later, on a phone with JavaScript off, Kim has forgotten the password. She asks from
    // the sign-in page, follows the emailed link and chooses a new one; the tablet she left
    // signed in is signed out.
    const phoneContext = await browser.newContext({ javaScriptEnabled: false });
    const phone = await phoneContext.newPage();
    await phone.goto('/sign-in');
    await phone.getByRole('link', { name: 'Forgotten your password?' }).click();
    await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Forgotten your password');
    await phone.getByRole('button', { name: 'Send the link' }).click();
    await expect(phone.getByRole('alert').getByRole('link', { name: 'Enter an email address' })).toHaveAttribute('href', '#email');
    await phone.getByLabel('Email address').fill(email);
    await phone.getByRole('button', { name: 'Send the link' }).click();
    await expect(phone.getByRole('status')).toContainText('If there is a Mobilise account for that address, we have sent it a link');
    const reset = await waitForMail(email, /new password/);
    await phone.goto(linkIn(reset, '/reset-password/'));
    await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
    await phone.getByLabel('New password', { exact: true }).fill('quiet harbour lantern');
    await phone.getByLabel('Confirm new password').fill('quiet harbour lantern');
    await phone.getByRole('button', { name: 'Change password' }).click();
    await expect(phone.getByRole('status')).toContainText('Sign in with your new password');
    await kim.reload();
    await expect(kim.getByRole('heading', { level: 1 })).toHaveText('Sign in to continue');
    await phone.getByLabel('Email address').fill(email);
    await phone.getByLabel('Password', { exact: true }).fill('quiet harbour lantern');
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await expect(phone.getByRole('heading', { level: 1 })).toHaveText('Hello, Kim');
    await phoneContext.close();
    await kimContext.close();
  });

  test('the admin finds the invitation they sent in the outgoing mail, sent, with the address masked', async ({ page }) => {
    await signIn(page, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff accounts' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Staff accounts');
    const email = `mo.${Date.now()}@riverside.example`;
    await page.getByLabel('Full name').fill('Mo Ahmed');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Outreach worker').check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('status')).toContainText('Invitation sent');
    await waitForMail(email, /invited to Mobilise/);

    // From the banner to the log: the newest sent message is Mo's invitation.
    await page.getByRole('status').getByRole('link', { name: 'outgoing mail' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Outgoing mail');
    const states = page.getByRole('navigation', { name: 'Messages by state' });
    await expect(async () => {
      await states.getByRole('link', { name: /^Sent \(/ }).click();
      const newest = page.getByRole('group', { name: 'Sent' }).getByRole('row').nth(1);
      await expect(newest).toContainText('Account invitation', { timeout: 1_000 });
      await expect(newest).toContainText('m•••@riverside.example', { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await expect(states.getByRole('link', { name: /^Sent \(/ })).toHaveAttribute('aria-current', 'page');
    expect(await page.content()).not.toContain(email);
    await expectAccessible(page, 'outgoing mail');
    await expectNoSidewaysScroll(page, 'outgoing mail');
    // A reload is a GET: nothing is shown or recorded until the button (a POST) asks, and the
    // state chosen is kept.
    await page.reload();
    await expect(page.getByRole('table')).toHaveCount(0);
    await page.getByRole('button', { name: 'Show the messages' }).click();
    await expect(states.getByRole('link', { name: /^Sent \(/ })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('group', { name: 'Sent' }).getByRole('row').nth(1)).toContainText('Account invitation');
    // The posted page is a new document: the links below open the log (a POST) once it runs.
    await hydrated(page);

    // The same log is found from the Data protection page, and opening it is in the audit log.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data protection' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Data protection');
    await hydrated(page);
    await page.getByRole('link', { name: 'outgoing mail' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'All messages' })).toBeVisible();
    await page.getByRole('link', { name: 'audit log' }).click();
    await expect(page.getByRole('group', { name: 'Audit entries' }).getByRole('row').nth(1)).toContainText('outgoing mail');
  });

  test('the forgotten-password pages are accessible and fit the screen', async ({ page }) => {
    await page.goto('/forgot-password');
    await expectAccessible(page, 'forgotten password');
    await expectNoSidewaysScroll(page, 'forgotten password');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await expect(page.getByRole('alert')).toContainText('Enter an email address');
    await expectAccessible(page, 'forgotten password with an error');
    await page.goto(`/reset-password/${'0'.repeat(64)}`);
    await expect(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
    await expectAccessible(page, 'a reset link that is not right');
  });

  test('a worker cannot open the staff page', async ({ page }) => {
    await signIn(page, WORKER);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello, Sam');
    // Leave once the page has finished loading its code, as a person tapping on would: a
    // navigation that cuts off the home page's split code mid-download is a browser error.
    await hydrated(page);
    const response = await page.goto('/staff');
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('You cannot see this page');
  });
});

test.describe('every page', () => {
  test('is accessible and fits the screen', async ({ page }) => {
    for (const path of ['/', '/sign-in', '/no-such-page', '/invite/0000', '/staff']) {
      await page.goto(path);
      await ready(page);
      await expectAccessible(page, path);
      await expectNoSidewaysScroll(page, path);
    }
    for (const who of [ADMIN, ORGANISER, RESIDENT]) {
      await signIn(page, who);
      await expect(page.getByRole('heading', { level: 1 })).toContainText('Hello');
      await expectAccessible(page, `home of ${who}`);
      await expectNoSidewaysScroll(page, `home of ${who}`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page.getByRole('status')).toContainText('You have been signed out.');
    }
  });

  test('is reachable by keyboard: the skip link goes to the main content', async ({ page }) => {
    await page.goto('/sign-in');
    await ready(page);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeVisible();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Email address')).toBeFocused();
  });
});

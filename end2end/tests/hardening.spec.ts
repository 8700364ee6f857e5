import { test, expect, expectAccessible, expectNoSidewaysScroll, enterCode, codeUsed, hydrated, plainPage, signIn, totp, ADMIN, RESIDENT, WORKER, DEMO_PASSWORD } from './helpers';

// What the security review found, tried in a real browser the way a person (or an attacker) would.

const INJECTED = 'Rude </title><h1>INJECTED</h1><meta http-equiv="refresh" content="0;url=/sign-in">';

test('an idea titled with HTML shows its words as text, in the page and in its title', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/consultations');
  await page.getByRole('link', { name: 'Empty shops on Castle Street' }).click();
  await page.getByLabel('Your idea in a few words').fill(INJECTED.slice(0, 120));
  await page.getByLabel('Describe it').fill('Nothing to see here.');
  await page.getByRole('button', { name: 'Share my idea' }).click();
  const ideas = page.getByRole('region', { name: 'Ideas from residents' });
  await ideas.getByRole('link', { name: /INJECTED/ }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('</title><h1>INJECTED</h1>');
  await expect(page).toHaveTitle(`${INJECTED.slice(0, 120)} – Mobilise`);
  await expect(page.getByRole('heading', { name: 'INJECTED', exact: true })).toHaveCount(0);
  // The injected refresh would have taken the page away by now.
  await page.waitForTimeout(1500);
  expect(new URL(page.url()).pathname).toMatch(/^\/consultations\/.+\/ideas\//);
  const ideaUrl = page.url();
  await context.close();
  // The same page with JavaScript on: the title stays the words, and the page passes axe.
  const withScript = await browser.newContext();
  const page2 = await withScript.newPage();
  // (Resident pages load no wasm for someone not signed in: nothing to wait for.)
  await page2.goto(ideaUrl);
  await expect(page2).toHaveTitle(`${INJECTED.slice(0, 120)} – Mobilise`);
  await expectAccessible(page2, 'an idea with HTML in its title');
  await withScript.close();
});

test('reports from people without an account queue an idea for a moderator, and a dismissal holds', async ({ browser }, testInfo) => {
  const title = `A bench by the bus stop ${testInfo.project.name} ${Date.now()}`;
  const author = await browser.newContext({ javaScriptEnabled: false });
  const page = await author.newPage();
  await page.goto('/consultations');
  await page.getByRole('link', { name: 'Empty shops on Castle Street' }).click();
  await page.getByLabel('Your idea in a few words').fill(title);
  await page.getByLabel('Describe it').fill('Somewhere to sit while waiting.');
  await page.getByRole('button', { name: 'Share my idea' }).click();
  const ideaLink = page.getByRole('region', { name: 'Ideas from residents' }).getByRole('link', { name: title });
  await expect(ideaLink).toBeVisible();
  const ideaUrl = await ideaLink.getAttribute('href');

  // Three visitors on this computer, each in a fresh browser with no cookies, report it.
  for (let i = 0; i < 3; i++) {
    const visitor = await browser.newContext({ javaScriptEnabled: false });
    const v = await visitor.newPage();
    await v.goto(ideaUrl!);
    await v.getByText('Report this idea').click();
    await v.getByRole('button', { name: 'Send report' }).first().click();
    await expect(v.getByText('You reported this idea. A moderator will look at it.')).toBeVisible();
    await visitor.close();
  }
  // Still there for everyone, and waiting for a moderator, counted as one person.
  await page.goto(ideaUrl!);
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await author.close();

  const office = await browser.newContext();
  const admin = await office.newPage();
  await signIn(admin, ADMIN);
  await expect(admin.getByRole('heading', { level: 1 })).toContainText('Hello');
  await admin.goto('/manage/moderation');
  await hydrated(admin);
  const row = admin.getByRole('row', { name: new RegExp(title) });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Reported 1 time');
  await row.getByRole('checkbox').check();
  await admin.getByLabel(/Dismiss the reports/).check();
  await admin.getByRole('button', { name: 'Apply to ticked items' }).click();
  await expect(admin.getByRole('row', { name: new RegExp(title) })).toHaveCount(0);

  // The same computer reports again with yet another fresh browser: it does not come back.
  const again = await browser.newContext({ javaScriptEnabled: false });
  const a = await again.newPage();
  await a.goto(ideaUrl!);
  await a.getByText('Report this idea').click();
  await a.getByRole('button', { name: 'Send report' }).first().click();
  await again.close();
  await admin.reload();
  await expect(admin.getByRole('heading', { name: 'Moderation', level: 1 })).toBeVisible();
  await expect(admin.getByRole('row', { name: new RegExp(title) })).toHaveCount(0);
  await office.close();
});

test('after signing out on a shared computer, Back shows no one\'s records', async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Hello');
  await page.getByRole('link', { name: 'Data protection' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Data protection');
  const response = await page.reload();
  expect(response?.headers()['cache-control']).toBe('no-store');
  await hydrated(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status')).toContainText('You have been signed out.');
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to continue');
  await expect(page.getByRole('searchbox', { name: 'Find a resident' })).toHaveCount(0);
});

test('a resident who opens an outreach address sees the refusal, not the worker screens', async ({ page }) => {
  const response = await page.goto('/outreach/doorstep');
  expect(response?.status()).toBe(401);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to continue');
  await expect(page.getByRole('button', { name: 'Sync now' })).toHaveCount(0);
  await signIn(page, WORKER);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Hello');
});

test('a resident turns on two-step verification from their account, signs in with a code, and turns it off', async ({ page }) => {
  await signIn(page, RESIDENT);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Hello');
  await page.getByRole('link', { name: 'Your account: password and two-step verification' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account');
  await plainPage(page);
  await page.getByRole('button', { name: 'Set up two-step verification' }).click();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  await expectAccessible(page, 'setting up two-step verification');
  await expectNoSidewaysScroll(page, 'setting up two-step verification');
  const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
  await page.getByLabel('Code from the app').fill('000000');
  await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
  await expect(page.getByRole('link', { name: /That code is not right/ })).toBeVisible();
  const step = Math.floor(Date.now() / 30_000);
  await page.getByLabel('Code from the app').fill(totp(secret, step));
  codeUsed(step);
  await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
  await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
  await expect(page.locator('.recovery-codes li')).toHaveCount(10);
  await expectAccessible(page, 'recovery codes');
  await page.getByRole('button', { name: 'I have kept them somewhere safe' }).click();
  await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('status')).toContainText('You have been signed out.');

  // Next time the password is not enough.
  await page.getByLabel('Email address').fill(RESIDENT);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enter the code from your authenticator app');
  await expectAccessible(page, 'the code page');
  await enterCode(page, secret);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Hello');
  await plainPage(page);
  await page.goto('/account');
  await page.getByLabel('Your password').nth(1).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Turn off two-step verification' }).click();
  await expect(page.getByRole('button', { name: 'Set up two-step verification' })).toBeVisible();
});

import { test, expect, signIn, hydrated, plainPage, ready, expectAccessible, expectNoSidewaysScroll, ADMIN, ORGANISER, RESIDENT, DEMO_PASSWORD } from './helpers';
import { linkIn, waitForMail } from './mail';
import type { Page } from '@playwright/test';

// The demo data: Northside Community Garden (Dee, the organiser) works with Riverside council
// and has three open opportunities; Alex is a Riverside resident.

/** Dee posts an opportunity for gardeners in Mill Ward on Saturday mornings; returns its address. */
async function post(page: Page, title: string): Promise<string> {
  await signIn(page, ORGANISER);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Volunteering', exact: true })).toBeVisible();
  await page.goto('/manage/opportunities');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Volunteering opportunities', level: 1 })).toBeVisible();
  // Missing title and description: the error summary links to the first.
  await page.getByRole('button', { name: 'Post it now' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Enter a title' })).toBeVisible();
  await expectAccessible(page, 'posting an opportunity, with errors');
  await expectNoSidewaysScroll(page, 'posting an opportunity');
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Description', { exact: true }).fill('Mend bikes, toasters and lamps with neighbours.');
  await page.getByRole('group', { name: 'Interests it suits' }).getByLabel('Gardening').check();
  await page.getByLabel('Skills that help (optional)').fill('Repairs, soldering');
  await page.getByRole('group', { name: 'Areas' }).getByLabel('Mill Ward').check();
  await page.getByLabel('Saturday mornings').check();
  // Written in Welsh too: a Welsh description needs its Welsh title, which Welsh readers see first.
  await page.getByLabel('Description in Welsh (optional)').fill('Trwsio beiciau, tostwyr a lampau gyda chymdogion.');
  await page.getByRole('button', { name: 'Post it now' }).click();
  await page.getByRole('link', { name: /Enter the Welsh title too/ }).click();
  await expect(page.getByLabel('Title in Welsh (optional)')).toBeFocused();
  await page.getByLabel('Title in Welsh (optional)').fill(`Caffi trwsio: ${title}`);
  await page.getByRole('button', { name: 'Post it now' }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await expect(page.locator('.tag', { hasText: 'Open' })).toBeVisible();
  await expect(page.getByText('Nobody has said they are interested yet.')).toBeVisible();
  return new URL(page.url()).pathname;
}

async function signInWithoutJs(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Volunteer', exact: true })).toBeVisible();
}

/** Alex's profile: gardening, repairs, Mill Ward, Saturday mornings. */
async function fillProfile(page: Page) {
  await page.getByRole('group', { name: 'What are you interested in?' }).getByLabel('Gardening').check();
  await page.getByRole('group', { name: 'Which areas can you get to?' }).getByLabel('Mill Ward').check();
  await page.getByLabel('Saturday mornings').check();
  await page.getByLabel('25 to 64').check();
}

test.describe('Volunteering', () => {
  test('a group posts; a resident without JavaScript sees it ranked with the reason and says they are interested; the group answers', async ({ page, browser }) => {
    const title = `Repair café ${Date.now()}`;
    const manage = await post(page, title);

    const context = await browser.newContext({ javaScriptEnabled: false });
    const alex = await context.newPage();
    await signInWithoutJs(alex, RESIDENT);
    await alex.goto('/volunteer/profile');
    await alex.getByLabel('Skills you would like to use (optional)').fill('repairs, cooking');
    // Nothing ticked: told what is missing, and what was typed is still there.
    await alex.getByLabel('Saturday mornings').uncheck();
    await alex.getByRole('button', { name: 'Save and see my matches' }).click();
    await expect(alex.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
    await expect(alex.getByRole('link', { name: 'Tick at least one time you could help' })).toBeVisible();
    await expect(alex.getByLabel('Skills you would like to use (optional)')).toHaveValue('repairs, cooking');
    await fillProfile(alex);
    await alex.getByRole('button', { name: 'Save and see my matches' }).click();
    await expect(alex.getByText('Profile saved')).toBeVisible();
    await expect(alex.getByText(/matches?, best first/)).toBeVisible();
    const card = alex.locator('.card', { has: alex.getByRole('link', { name: title }) });
    await expect(card.locator('.match-reason')).toHaveText('Why it fits you: 1 of your interests · uses 1 of your skills · in your area · Saturday mornings');
    // Needs a DBS check, which Alex does not have: never shown as a match.
    await expect(alex.getByRole('link', { name: 'Tea and chat befriending' })).toHaveCount(0);

    await card.getByRole('link', { name: title }).click();
    await alex.getByLabel(/Share my name and e-mail address with Northside Community Garden/).check();
    await alex.getByLabel('Anything you would like them to know? (optional)').fill('I can bring a soldering iron');
    await alex.getByRole('button', { name: 'I am interested' }).click();
    await expect(alex.getByText('You said you are interested')).toBeVisible();
    await expect(alex.getByText('Sent: the group has not been in touch yet')).toBeVisible();

    // The group's inbox.
    await page.goto(manage);
    const row = page.getByRole('row', { name: /I can bring a soldering iron/ });
    await expect(row.getByText('Alex Morgan', { exact: true })).toBeVisible();
    await expect(row.getByText(RESIDENT)).toBeVisible();
    await expectAccessible(page, 'the opportunity inbox');
    await expectNoSidewaysScroll(page, 'the opportunity inbox');
    await row.getByLabel('Status of Alex Morgan').selectOption({ label: 'Contacted' });
    await row.getByRole('button', { name: 'Update' }).click();
    await expect(page.getByRole('row', { name: /I can bring a soldering iron/ }).getByLabel('Status of Alex Morgan')).toHaveValue('contacted');

    await alex.goto('/volunteer/interests');
    await expect(alex.getByRole('row', { name: new RegExp(title) })).toContainText('The group has been in touch');
    await context.close();
  });

  test('with JavaScript on, a resident builds a profile, sees matches and says they are interested in one tap; every page passes axe', async ({ page, browser }) => {
    const title = `Bike repair morning ${Date.now()}`;
    const manage = await post(page, title);

    const context = await browser.newContext();
    const alex = await context.newPage();
    await signIn(alex, RESIDENT);
    await expect(alex.getByRole('heading', { name: 'Hello, Alex' })).toBeVisible();
    await alex.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Volunteer', exact: true }).click();
    await expect(alex.getByRole('heading', { name: 'Volunteer in your area', level: 1 })).toBeVisible();
    await expectAccessible(alex, 'volunteering for a signed-in resident');
    await expectNoSidewaysScroll(alex, 'volunteering');
    await alex.goto('/volunteer/profile');
    await plainPage(alex);
    await expectAccessible(alex, 'the volunteer profile');
    await expectNoSidewaysScroll(alex, 'the volunteer profile');
    await fillProfile(alex);
    await alex.getByRole('button', { name: 'Save and see my matches' }).click();
    await expect(alex.getByText('Profile saved')).toBeVisible();
    await expect(alex.getByRole('link', { name: 'Your matches' })).toHaveAttribute('aria-current', 'page');
    const card = alex.locator('.card', { has: alex.getByRole('link', { name: title }) });
    await expect(card.locator('.match-reason')).toContainText('1 of your interests');
    await card.getByRole('link', { name: title }).click();
    await expect(alex.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    await expectAccessible(alex, 'an opportunity');
    await alex.getByRole('button', { name: 'I am interested' }).click();
    await expect(alex.getByText('You said you are interested')).toBeVisible();
    await expect(alex.getByText('You did not share your contact details')).toBeVisible();
    await alex.goto('/volunteer/interests');
    await expect(alex.getByRole('row', { name: new RegExp(title) })).toContainText('Sent: the group has not been in touch yet');
    await expectAccessible(alex, 'your interests');

    await page.goto(manage);
    await expect(page.getByRole('row', { name: /Did not share contact details/ })).toBeVisible();
    await page.goto('/manage/opportunities');
    await expect(page.getByRole('row', { name: new RegExp(title) })).toContainText('1 new of 1');
    await context.close();
  });

  test('anyone can browse and filter without an account, on a light page with no wasm', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Volunteer', exact: true })).toHaveAttribute('href', '/volunteer');
    const wasm: string[] = [];
    page.on('request', r => { if (r.url().endsWith('.wasm') || r.url().includes('/pkg/mobilise.js')) wasm.push(r.url()); });
    await page.goto('/volunteer');
    await expect(page.getByRole('heading', { name: 'Volunteer in your area', level: 1 })).toBeVisible();
    await page.getByLabel('Interest').selectOption({ label: 'Befriending' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/interest=/);
    await expect(page.getByRole('link', { name: 'Tea and chat befriending' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Saturday garden crew' })).toHaveCount(0);
    await expectAccessible(page, 'browsing opportunities');
    await expectNoSidewaysScroll(page, 'browsing opportunities');
    await page.getByRole('link', { name: 'Tea and chat befriending' }).click();
    await expect(page.getByText('DBS check needed')).toBeVisible();
    await expect(page.getByText('to tell the group you are interested')).toBeVisible();
    await expectAccessible(page, 'an opportunity, not signed in');
    await expectNoSidewaysScroll(page, 'an opportunity');
    expect(wasm, 'no wasm on public volunteering pages').toEqual([]);
  });
});

test.describe('Partner groups', () => {
  test('an admin invites a community group; its organiser accepts from the email, posts an opportunity and invites a co-organiser', async ({ page, browser }) => {
    const stamp = Date.now();
    const group = `Castle Street Menders ${stamp}`;
    const email = `rosa.${stamp}@menders.example`;
    await signIn(page, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Volunteering', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Volunteering opportunities', level: 1 })).toBeVisible();
    await page.getByRole('link', { name: 'Partner groups' }).click();
    await expect(page.getByRole('heading', { name: 'Partner groups', level: 1 })).toBeVisible();
    await hydrated(page);
    await expect(page.getByRole('cell', { name: 'Northside Community Garden' })).toBeVisible();
    await page.getByRole('button', { name: 'Invite the group' }).click();
    await expect(page.getByRole('alert').getByRole('link')).toHaveText(["Enter the group's name", "Enter the organiser's full name", 'Enter an email address']);
    await expectAccessible(page, 'partner groups with errors');
    await page.getByLabel("Group's name").fill(group);
    await page.getByLabel("Organiser's full name").fill('Rosa Mendes');
    await page.getByLabel("Organiser's email address").fill(email);
    await page.getByRole('button', { name: 'Invite the group' }).click();
    await expect(page.getByRole('status')).toContainText(`We have emailed Rosa Mendes at ${email}`);
    const row = page.getByRole('row', { name: new RegExp(group) });
    await expect(row).toContainText('Invited');
    await expectAccessible(page, 'partner groups');
    await expectNoSidewaysScroll(page, 'partner groups');

    // Rosa opens the email on her phone and follows its link.
    const invitation = await waitForMail(email, /has invited Castle Street Menders/);
    const rosaContext = await browser.newContext();
    const rosa = await rosaContext.newPage();
    await rosa.goto(linkIn(invitation, '/invite/'));
    await expect(rosa.getByRole('heading', { level: 1 })).toHaveText('Choose your password');
    await ready(rosa);
    await rosa.getByLabel('Password', { exact: true }).fill('needle thread button');
    await rosa.getByLabel('Confirm password').fill('needle thread button');
    await rosa.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(rosa.getByRole('heading', { level: 1 })).toHaveText('Hello, Rosa');
    await rosa.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Volunteering', exact: true }).click();
    await expect(rosa.getByRole('heading', { name: 'Volunteering opportunities', level: 1 })).toBeVisible();
    await hydrated(rosa);
    const title = `Repair café ${stamp}`;
    await rosa.getByLabel('Title', { exact: true }).fill(title);
    await rosa.getByLabel('Description', { exact: true }).fill('Bring what is broken; we mend it together.');
    await rosa.getByRole('group', { name: 'Interests it suits' }).getByLabel('Gardening').check();
    await rosa.getByRole('group', { name: 'Areas' }).getByLabel('Mill Ward').check();
    await rosa.getByLabel('Volunteers need a DBS check').check();
    await rosa.getByRole('button', { name: 'Post it now' }).click();
    await expect(rosa.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    // The ticked box is kept (its edit form shows what was stored): with JavaScript on, the app
    // sends the form as a struct, and a ticked box arrives as "true" (as "yes" without it).
    await expect(rosa.getByLabel('Volunteers need a DBS check')).toBeChecked();

    // Rosa asks a neighbour to run the group with her.
    await rosa.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Volunteering', exact: true }).click();
    await rosa.getByRole('link', { name: "Your group's organisers" }).click();
    await expect(rosa.getByRole('heading', { name: "Your group's organisers", level: 1 })).toBeVisible();
    await hydrated(rosa);
    const co = `ben.${stamp}@menders.example`;
    await rosa.getByLabel('Full name').fill('Ben Ade');
    await rosa.getByLabel('Email address').fill(co);
    await rosa.getByRole('button', { name: 'Invite them' }).click();
    await expect(rosa.getByRole('status')).toContainText(`We have emailed Ben Ade at ${co}`);
    await expect(rosa.getByRole('listitem').filter({ hasText: 'Ben Ade' })).toContainText('Invited');
    await expectAccessible(rosa, "a group's organisers");
    await expectNoSidewaysScroll(rosa, "a group's organisers");
    await waitForMail(co, /has been invited|invited to Mobilise/);
    await rosaContext.close();

    // Residents can find the group's opportunity without an account.
    const visitor = await browser.newContext({ javaScriptEnabled: false });
    const v = await visitor.newPage();
    await v.goto('/volunteer?all=1');
    await expect(v.getByRole('link', { name: title })).toBeVisible();
    await visitor.close();
    // Rosa has joined; Ben is still to choose a password.
    await page.reload();
    const organisers = page.getByRole('row', { name: new RegExp(group) }).getByRole('listitem');
    await expect(organisers.filter({ hasText: 'Rosa Mendes' })).not.toContainText('Invited');
    await expect(organisers.filter({ hasText: 'Ben Ade' })).toContainText('Invited');
  });

  test('a group that finds Mobilise asks to join without JavaScript; an admin approves it and the organiser accepts from the email', async ({ page, browser }) => {
    const stamp = Date.now();
    const group = `Riverside Repair Circle ${stamp}`;
    const email = `tayo.${stamp}@repair.example`;
    // The organiser finds the page from the public volunteering page, on a phone, scripts off.
    const askContext = await browser.newContext({ javaScriptEnabled: false });
    const ask = await askContext.newPage();
    await ask.goto('/volunteer');
    await ask.getByRole('link', { name: 'Ask to join as a community group' }).click();
    await expect(ask.getByRole('heading', { name: 'Ask to join as a community group', level: 1 })).toBeVisible();
    await ask.getByRole('button', { name: 'Send the request' }).click();
    await expect(ask.getByRole('alert').getByRole('link')).toHaveText(["Enter the group's name", 'Enter your full name', 'Enter an email address', 'Say in a sentence or two what your group does']);
    await ask.getByLabel("Your group's name").fill(group);
    await ask.getByLabel('Your full name').fill('Tayo Bello');
    await ask.getByLabel('Your email address').fill(email);
    await ask.getByLabel('What does your group do?').fill('We mend bikes and toasters in the library on Saturdays.');
    await ask.getByRole('button', { name: 'Send the request' }).click();
    await expect(ask.getByRole('status')).toContainText('An administrator will look at your request');
    await askContext.close();
    // (axe needs scripts in the page: the same public page, checked with them on.)
    const checker = await browser.newContext();
    const check = await checker.newPage();
    await check.goto('/partners/join');
    await expectAccessible(check, 'ask to join');
    await expectNoSidewaysScroll(check, 'ask to join');
    await checker.close();

    // An administrator finds it under Partner groups and approves it.
    await signIn(page, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Volunteering', exact: true }).click();
    await page.getByRole('link', { name: 'Partner groups' }).click();
    await expect(page.getByRole('heading', { name: 'Groups asking to join', level: 2 })).toBeVisible();
    await hydrated(page);
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: group }) });
    await expect(card).toContainText('We mend bikes and toasters');
    await expectAccessible(page, 'groups asking to join');
    await expectNoSidewaysScroll(page, 'groups asking to join');
    await card.getByRole('button', { name: `Approve ${group}` }).click();
    await expect(page.getByRole('status')).toContainText(`${group} is now a partner group`);
    await expect(page.getByRole('row', { name: new RegExp(group) })).toContainText('Invited');

    // The organiser follows the link in the email and is in.
    const approved = await waitForMail(email, /has approved Riverside Repair Circle/);
    const tayoContext = await browser.newContext();
    const tayo = await tayoContext.newPage();
    await tayo.goto(linkIn(approved, '/invite/'));
    await expect(tayo.getByRole('heading', { level: 1 })).toHaveText('Choose your password');
    await ready(tayo);
    await tayo.getByLabel('Password', { exact: true }).fill('spanner solder kettle');
    await tayo.getByLabel('Confirm password').fill('spanner solder kettle');
    await tayo.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(tayo.getByRole('heading', { level: 1 })).toHaveText('Hello, Tayo');
    await tayoContext.close();
  });
});

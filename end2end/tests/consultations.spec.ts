import { test, expect, signIn, hydrated, plainPage, expectAccessible, expectNoSidewaysScroll, ADMIN, RESIDENT } from './helpers';
import { linkIn, waitForMail } from './mail';

// The demo data has "The future of Mill Park" open (Mill Ward, River Ward; a required
// single-choice question first) and "Bin collections in Castle Ward" decided, with outcomes.

test.describe('Consultations for residents', () => {
  test('without JavaScript a resident filters, responds, is told what is missing, and changes their mind', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/consultations');
    await expect(page.getByRole('heading', { name: 'Consultations', level: 1 })).toBeVisible();
    await page.getByLabel('Area').selectOption({ label: 'Castle Ward' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/area=/);
    await expect(page.getByRole('link', { name: 'Bin collections in Castle Ward' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'The future of Mill Park' })).toHaveCount(0);
    await page.getByLabel('Area').selectOption({ label: 'All areas' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('link', { name: 'The future of Mill Park' }).click();

    await expect(page.getByRole('heading', { name: 'The future of Mill Park', level: 1 })).toBeVisible();
    await expect(page.locator('.prose strong')).toHaveText('20 years old');
    // Forgetting the required question: an error summary, and the text typed is still there.
    await page.getByLabel('Anything else we should know? (optional)').fill('The paths flood by the gate');
    await page.getByRole('button', { name: 'Send my response' }).click();
    await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Choose an answer to “Which project should come first”' })).toBeVisible();
    await expect(page.getByLabel('Anything else we should know? (optional)')).toHaveValue('The paths flood by the gate');

    await page.getByRole('group', { name: 'Which project should come first?' }).getByLabel('Drained, lit paths').check();
    await page.getByRole('button', { name: 'Send my response' }).click();
    await expect(page.getByText('Your response is saved.')).toBeVisible();
    await expect(page.getByLabel('Drained, lit paths')).toBeChecked();
    await expect(page.getByLabel('Anything else we should know? (optional)')).toHaveValue('The paths flood by the gate');

    await page.getByLabel('A new play area').check();
    await Promise.all([
      page.waitForResponse(r => r.url().includes('/api/consultations/respond')),
      page.getByRole('button', { name: 'Save my changed answers' }).click(),
    ]);
    await page.waitForLoadState('load');
    await page.goto(page.url());
    await expect(page.getByLabel('A new play area')).toBeChecked();
    await expect(page.getByLabel('Drained, lit paths')).not.toBeChecked();
    await context.close();
  });

  test('with JavaScript on, a visitor who is not signed in gets light pages with no wasm, and the same forms work', async ({ page }) => {
    const wasm: string[] = [];
    page.on('request', r => { if (r.url().endsWith('.wasm') || r.url().includes('/pkg/mobilise.js')) wasm.push(r.url()); });
    await page.goto('/consultations');
    await page.getByRole('link', { name: 'The future of Mill Park' }).click();
    await expect(page.getByRole('heading', { name: 'The future of Mill Park', level: 1 })).toBeVisible();
    await page.getByRole('button', { name: 'Send my response' }).click();
    await expect(page.getByRole('link', { name: 'Choose an answer to “Which project should come first”' })).toBeVisible();
    await page.getByLabel('A community garden').check();
    await page.getByLabel('Weekends').check();
    await page.getByLabel('4 – Agree').check();
    await page.getByRole('button', { name: 'Send my response' }).click();
    await expect(page.getByText('Your response is saved.')).toBeVisible();
    await page.getByLabel('Weekday evenings').check();
    // A plain form post: wait until the browser has followed the redirect back to the page.
    await Promise.all([
      page.waitForResponse(r => r.url().includes('/api/consultations/respond')),
      page.getByRole('button', { name: 'Save my changed answers' }).click(),
    ]);
    await page.waitForLoadState('load');
    await page.goto(page.url());
    await expect(page.getByLabel('Weekday evenings')).toBeChecked();
    await expect(page.getByLabel('Weekends')).toBeChecked();
    expect(wasm, 'no application code is downloaded').toEqual([]);
  });

  test('signed in, a resident gets plain pages without the app\'s code, answers and shares an idea', async ({ page }) => {
    await signIn(page, RESIDENT);
    await expect(page.getByRole('heading', { name: 'Hello, Alex' })).toBeVisible();
    const code: string[] = [];
    page.on('request', r => { if (/^\/pkg\/.*\.(js|wasm)$/.test(new URL(r.url()).pathname)) code.push(r.url()); });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Consultations' }).click();
    await page.getByRole('link', { name: 'The future of Mill Park' }).click();
    await expect(page.getByRole('heading', { name: 'The future of Mill Park', level: 1 })).toBeVisible();
    await plainPage(page);
    // The same form as for everyone, posted by the browser. (Both screen sizes share one demo
    // account, so it may already hold a response.)
    const send = page.getByRole('button', { name: /^(Send my response|Save my changed answers)$/ });
    await page.getByLabel('A community garden').check();
    await page.getByLabel('4 – Agree').check();
    await page.getByLabel('Weekends').check();
    await send.click();
    await expect(page.getByText('Your response is saved.')).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Weekends')).toBeChecked();
    await expect(page.getByLabel('A community garden')).toBeChecked();

    await page.goto('/consultations');
    await page.getByRole('link', { name: 'Empty shops on Castle Street' }).click();
    await plainPage(page);
    const ideas = page.getByRole('region', { name: 'Ideas from residents' });
    await page.getByRole('button', { name: 'Share my idea' }).click();
    await expect(page.getByRole('link', { name: 'Give your idea a short title' })).toBeVisible();
    const title = `A seed swap ${Date.now()}`;
    await page.getByLabel('Your idea in a few words').fill(title);
    await page.getByLabel('Describe it').fill('Swap seeds and cuttings on the first Saturday.');
    await page.getByRole('button', { name: 'Share my idea' }).click();
    await expect(ideas.getByRole('link', { name: title })).toBeVisible();
    expect(code, 'no application code is downloaded').toEqual([]);
  });

  test('a decided consultation shows what was done and takes no responses', async ({ page }) => {
    await page.goto('/consultations');
    await page.getByRole('link', { name: 'Bin collections in Castle Ward' }).click();
    const outcomes = page.getByRole('region', { name: 'You said, we did' });
    await expect(outcomes.getByRole('heading', { name: 'In progress' })).toBeVisible();
    await expect(outcomes.getByText('Back-lane collections have started')).toBeVisible();
    await expect(outcomes.getByRole('progressbar').first()).toHaveAttribute('value', '60');
    await expect(outcomes.getByText('Question: What would help most?').first()).toBeVisible();
    await expect(page.getByText('This consultation is closed.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Send my response' })).toHaveCount(0);
  });

  test('the pages are accessible and fit the screen', async ({ page }) => {
    for (const [path, what] of [['/consultations', 'the list'], ['/consultations?stage=decided', 'a filtered list']] as const) {
      await page.goto(path);
      await expectAccessible(page, what);
      await expectNoSidewaysScroll(page, what);
    }
    for (const title of ['The future of Mill Park', 'Bin collections in Castle Ward']) {
      await page.goto('/consultations');
      await page.getByRole('link', { name: title }).click();
      await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
      await expectAccessible(page, title);
      await expectNoSidewaysScroll(page, title);
    }
    // With errors showing, too.
    await page.goto('/consultations');
    await page.getByRole('link', { name: 'The future of Mill Park' }).click();
    await page.getByRole('button', { name: 'Send my response' }).click();
    await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
    await expectAccessible(page, 'the response form with errors');
  });
});

test.describe('Consultations for admins', () => {
  test('an admin drafts a consultation, adds a question, opens it, and residents can find it', async ({ page, browser }) => {
    const title = `Street lighting ${Date.now()}`;
    await signIn(page, ADMIN);
    await expect(page.getByRole('heading', { name: 'Hello, Priya' })).toBeVisible();
    await hydrated(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Consultations' }).click();
    await expect(page.getByRole('heading', { name: 'Consultations', level: 1 })).toBeVisible();
    await hydrated(page);
    await expectAccessible(page, 'the admin consultations page');
    await expectNoSidewaysScroll(page, 'the admin consultations page');
    await page.getByRole('button', { name: 'Create draft' }).click();
    await expect(page.getByRole('link', { name: 'Enter a title' })).toBeVisible();
    await page.getByLabel('Title', { exact: true }).fill(title);
    await page.getByLabel('Summary', { exact: true }).fill('Which streets need better lights?');
    await page.getByLabel('Mill Ward').check();
    await page.getByRole('button', { name: 'Create draft' }).click();

    await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    await expect(page.locator('.tag', { hasText: 'Draft' })).toBeVisible();
    await page.getByLabel('Question', { exact: true }).fill('Which street feels darkest?');
    await page.getByLabel('Free text').check();
    await page.getByRole('button', { name: 'Add question' }).click();
    await expect(page.getByRole('listitem').filter({ hasText: 'Which street feels darkest?' })).toBeVisible();
    await expectAccessible(page, 'the manage consultation page');
    await expectNoSidewaysScroll(page, 'the manage consultation page');
    // The details can be corrected later: a refused change opens with its errors, then a fix.
    const edited = `${title}, edited`;
    await page.getByText('Edit title, summary, background, dates, areas and themes').click();
    const details = page.getByRole('form', { name: 'Edit title, summary, background, dates, areas and themes' });
    await expect(details.getByLabel('Title', { exact: true })).toHaveValue(title);
    await expect(details.getByLabel('Mill Ward')).toBeChecked();
    await details.getByLabel('Title', { exact: true }).fill('');
    await details.getByRole('button', { name: 'Save details' }).click();
    await expect(page.getByRole('link', { name: 'Enter a title' })).toBeVisible();
    await expectAccessible(page, 'the details form with an error');
    await details.getByLabel('Title', { exact: true }).fill(edited);
    await details.getByLabel('Background (optional)').fill('## Where\n\nThe **darkest** streets come first.');
    await details.getByRole('button', { name: 'Save details' }).click();
    await expect(page.getByRole('heading', { name: edited, level: 1 })).toBeVisible();
    await expect(page.getByText('Residents see the new details straight away.')).toBeVisible();
    await page.getByLabel('Move it to').selectOption({ label: 'Open for ideas' });
    await page.getByRole('button', { name: 'Change status' }).click();
    await expect(page.locator('.tag', { hasText: 'Open for ideas' })).toBeVisible();

    const resident = await browser.newContext({ javaScriptEnabled: false });
    const public_page = await resident.newPage();
    await public_page.goto('/consultations');
    await public_page.getByRole('link', { name: edited }).click();
    await expect(public_page.locator('.prose strong', { hasText: 'darkest' })).toBeVisible();
    await public_page.getByLabel('Which street feels darkest? (optional)').fill('Tanner Street');
    await public_page.getByRole('button', { name: 'Send my response' }).click();
    await expect(public_page.getByText('Your response is saved.')).toBeVisible();

    await page.reload();
    await expect(page.getByText('1 response')).toBeVisible();
    // "You said, we did": the admin posts an update; the resident sees it on the timeline.
    await page.getByLabel('In progress').check();
    await page.getByLabel('Progress (%)').fill('25');
    await page.getByLabel('What was done or decided').fill('New lights go up on Tanner Street in March.');
    await page.getByLabel('Question: Which street feels darkest?').check();
    await page.getByRole('button', { name: 'Post update' }).click();
    await expect(page.getByText('Residents can see it on the consultation')).toBeVisible();
    await public_page.reload();
    const timeline = public_page.getByRole('region', { name: 'You said, we did' });
    await expect(timeline.getByText('New lights go up on Tanner Street in March.')).toBeVisible();
    await expect(timeline.getByRole('progressbar')).toHaveAttribute('value', '25');
    await expect(timeline.getByText('In answer to:')).toBeVisible();
    await expect(timeline.getByText('Question: Which street feels darkest?')).toBeVisible();
    await resident.close();
  });
});

test.describe('Asking residents', () => {
  test('an admin invites the residents who agreed, and one follows the link in the email and answers', async ({ page, browser }) => {
    const title = `Winter gritting ${Date.now()}`;
    await signIn(page, ADMIN);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Consultations' }).click();
    await expect(page.getByRole('heading', { name: 'Consultations', level: 1 })).toBeVisible();
    await hydrated(page);
    await page.getByLabel('Title', { exact: true }).fill(title);
    await page.getByLabel('Summary', { exact: true }).fill('Which paths should be gritted first?');
    await page.getByRole('button', { name: 'Create draft' }).click();
    await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    // Nobody is asked to answer a draft.
    await expect(page.getByText('Open the consultation first: residents cannot see a draft.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Send the invitations' })).toHaveCount(0);
    await page.getByLabel('Question', { exact: true }).fill('Which path is worst in the ice?');
    await page.getByLabel('Free text').check();
    await page.getByRole('button', { name: 'Add question' }).click();
    await expect(page.getByRole('listitem').filter({ hasText: 'Which path is worst in the ice?' })).toBeVisible();
    await page.getByLabel('Move it to').selectOption({ label: 'Open for ideas' });
    await page.getByRole('button', { name: 'Change status' }).click();
    await expect(page.locator('.tag', { hasText: 'Open for ideas' })).toBeVisible();

    // The count first (small numbers are not given exactly), then one button.
    await expect(page.locator('#invite-ready')).toHaveText(/^(\d+|Fewer than 5) residents$/);
    await page.getByRole('button', { name: 'Send the invitations' }).click();
    await expect(page.getByRole('status')).toContainText('Invitations sent');
    await expect(page.locator('#invite-ready')).toHaveText('No residents');
    await expect(page.getByText('Nobody is waiting to be invited.')).toBeVisible();
    await expectAccessible(page, 'invitations sent');
    await expectNoSidewaysScroll(page, 'invitations sent');

    // A resident reads the email on a phone with JavaScript off, follows its link and answers.
    const mail = await waitForMail('demo.resident1@residents.example', new RegExp(`^Have your say: ${title}$`));
    expect(mail.headers.get('list-unsubscribe')).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/email\/unsubscribe\/[0-9a-f]{64}>$/);
    expect(mail.html).toContain('Have your say');
    const phoneContext = await browser.newContext({ javaScriptEnabled: false });
    const phone = await phoneContext.newPage();
    await phone.goto(linkIn(mail, '/consultations/'));
    await expect(phone.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    await phone.getByLabel('Which path is worst in the ice? (optional)').fill('The hill by the school');
    // They ask to hear what happens. The address they leave is confirmed by an emailed link
    // before anything else is sent to it (nobody can sign up someone else's address).
    const address = `gritting.${Date.now()}@residents.example`;
    await phone.getByLabel('Email me when there is an update on what was done').check();
    await phone.getByLabel('Email address').fill(address);
    await phone.getByRole('button', { name: 'Send my response' }).click();
    await expect(phone.getByText('Your response is saved.')).toBeVisible();
    await expect(phone.locator('#confirm-address')).toContainText('once it is confirmed with the link we emailed to it');
    const confirm = await waitForMail(address, /^Confirm you want updates on/);
    expect(confirm.headers.get('list-unsubscribe')).toBeUndefined();
    // (axe needs scripts in the page: it checks the same page in a context with them on.)
    const checker = await browser.newContext();
    const check = await checker.newPage();
    await check.goto(linkIn(confirm, '/email/confirm/'));
    await expect(check.getByRole('heading', { name: 'Confirm you want updates', level: 1 })).toBeVisible();
    await expectAccessible(check, 'confirm an address');
    await expectNoSidewaysScroll(check, 'confirm an address');
    await checker.close();
    await phone.goto(linkIn(confirm, '/email/confirm/'));
    await expect(phone.getByRole('heading', { name: 'Confirm you want updates', level: 1 })).toBeVisible();
    await expect(phone.getByText(title)).toBeVisible();
    await phone.getByRole('button', { name: 'Confirm I want updates' }).click();
    await expect(phone.getByRole('heading', { name: 'You will hear what happens', level: 1 })).toBeVisible();
    await expect(phone.getByRole('status')).toContainText('Address confirmed');
    await phone.getByRole('link', { name: `Back to “${title}”` }).click();
    await expect(phone.locator('#confirm-address')).toHaveCount(0);
    await phoneContext.close();
    await page.reload();
    await expect(page.getByText('1 response')).toBeVisible();

    // "You said, we did": the update reaches the confirmed address.
    await hydrated(page);
    await page.getByRole('group', { name: 'Where it stands' }).getByLabel('Accepted').check();
    await page.getByLabel('What was done or decided').fill('The school hill is gritted first from now on.');
    await page.getByRole('button', { name: 'Post update' }).click();
    await expect(page.getByRole('status')).toContainText('Update posted');
    const update = await waitForMail(address, new RegExp(`^Update on “${title}”: Accepted$`));
    expect(update.text).toContain('The school hill is gritted first from now on.');
  });
});

test.describe('Ideas from residents', () => {
  test('without JavaScript a resident shares an idea, supports one and comments', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/consultations');
    await page.getByRole('link', { name: 'Empty shops on Castle Street' }).click();
    const ideas = page.getByRole('region', { name: 'Ideas from residents' });
    await expect(ideas.getByRole('link', { name: 'A repair café' })).toBeVisible();
    await ideas.getByRole('button', { name: 'Support “A youth club”' }).click();
    await expect(page.getByText('You support this idea.')).toBeVisible();

    await page.getByRole('button', { name: 'Share my idea' }).click();
    await expect(page.getByRole('link', { name: 'Give your idea a short title' })).toBeVisible();
    const title = `A tool library ${Date.now()}`;
    await page.getByLabel('Your idea in a few words').fill(title);
    await page.getByLabel('Describe it').fill('Borrow a drill instead of buying one.');
    await page.getByRole('button', { name: 'Share my idea' }).click();
    await expect(ideas.getByRole('link', { name: title })).toBeVisible();

    await ideas.getByRole('link', { name: 'A repair café' }).click();
    await expect(page.getByRole('heading', { name: 'A repair café', level: 1 })).toBeVisible();
    await expect(page.getByText('I would volunteer on Saturdays.')).toBeVisible();
    const comment = `Could it open on Sundays too? (${Date.now()})`;
    await page.getByLabel('Add a comment').fill(comment);
    await page.getByRole('button', { name: 'Post comment' }).click();
    await expect(page.getByText(comment)).toBeVisible();
    await context.close();
  });

  test('the ideas, idea and moderation pages are accessible and fit the screen', async ({ page }) => {
    await page.goto('/consultations');
    await page.getByRole('link', { name: 'Empty shops on Castle Street' }).click();
    await expectAccessible(page, 'a consultation open for ideas');
    await expectNoSidewaysScroll(page, 'a consultation open for ideas');
    await page.getByRole('link', { name: 'A repair café' }).click();
    await expect(page.getByRole('heading', { name: 'A repair café', level: 1 })).toBeVisible();
    await page.getByText('Report this idea').click();
    await expectAccessible(page, 'an idea with its report form open');
    await expectNoSidewaysScroll(page, 'an idea');
    await page.getByLabel('What is wrong with it? (optional)').first().fill('Test report');
    await page.getByRole('button', { name: 'Send report' }).first().click();
    await expect(page.getByText('You reported this idea. A moderator will look at it.')).toBeVisible();

    await signIn(page, ADMIN);
    await expect(page.getByRole('heading', { name: 'Hello, Priya' })).toBeVisible();
    await page.goto('/manage/moderation');
    await expect(page.getByRole('heading', { name: 'Moderation', level: 1 })).toBeVisible();
    await expect(page.getByRole('cell', { name: /A repair café/ })).toBeVisible();
    await hydrated(page);
    await expectAccessible(page, 'the moderation queue');
    await expectNoSidewaysScroll(page, 'the moderation queue');
  });
});

test.describe('Consultation results', () => {
  test('an admin reads the results as charts with tables and downloads the responses', async ({ page }) => {
    // Someone answers first, so there is something to count.
    await page.goto('/consultations');
    await page.getByRole('link', { name: 'The future of Mill Park' }).click();
    await page.getByLabel('A community garden').check();
    await page.getByRole('button', { name: /Send my response|Save my changed answers/ }).click();
    await expect(page.getByText('Your response is saved.')).toBeVisible();

    await signIn(page, ADMIN);
    await expect(page.getByRole('heading', { name: 'Hello, Priya' })).toBeVisible();
    await page.goto('/manage/consultations');
    await page.getByRole('link', { name: 'The future of Mill Park' }).click();
    // The manage page has finished loading (its invitation count comes last) before moving on.
    await expect(page.locator('#invite-ready')).toBeVisible();
    await hydrated(page);
    await page.getByRole('link', { name: 'Results' }).click();
    await expect(page.getByRole('heading', { name: 'The future of Mill Park', level: 1 })).toBeVisible();
    const question = page.getByRole('region', { name: 'Which project should come first?' });
    await expect(question.getByRole('img', { name: /Bar chart: Which project should come first\?/ })).toBeVisible();
    await expect(question.getByRole('row', { name: /A community garden/ })).toBeVisible();
    await hydrated(page);
    await expectAccessible(page, 'the results page');
    await expectNoSidewaysScroll(page, 'the results page');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Download every response/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('responses.csv');
    const text = await (await download.createReadStream()).toArray().then(chunks => Buffer.concat(chunks).toString('utf8'));
    expect(text.split('\n')[0]).toContain('Which project should come first?');
    expect(text).toContain('A community garden');
  });
});

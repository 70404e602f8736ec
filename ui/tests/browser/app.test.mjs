// The UI in a real browser (Debian's Chromium) over the fake backend: the workflow a
// consultant follows, by keyboard where the app is keyboard-first.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serve, browser } from './harness.mjs';

let server;
let chrome;

before(async () => {
  server = await serve();
  chrome = await browser();
});
after(async () => {
  await chrome?.close();
  await server?.close();
});

async function open(query, hash = '') {
  const page = await chrome.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.setDefaultTimeout(10_000);
  await page.goto(`${server.url}?${query}${hash}`);
  return { page, errors, tid: (id) => page.getByTestId(id) };
}

const calls = (page, command) =>
  page.evaluate((c) => window.__cxmFake.calls.filter((x) => x.command === c).map((x) => x.args), command);

describe('CX Maturity UI', () => {
  it('shows why the database could not be opened, and where it is', async () => {
    const { page, tid, errors } = await open('fake=error');
    await tid('start-error').waitFor();
    assert.match(await tid('start-error-message').innerText(), /not a CX Maturity database/);
    assert.match(await tid('start-error-path').innerText(), /cxm\.sqlite$/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('offers the demo on first run', async () => {
    const { page, tid, errors } = await open('fake');
    await tid('welcome').waitFor();
    await tid('load-demo').click();
    await tid('organisation-page').waitFor();
    assert.equal(await tid('org-title').innerText(), 'Northwind Energy');
    await page.locator('[data-testid^="round-row-"]').first().waitFor();
    assert.equal(await page.locator('[data-testid^="round-row-"]').count(), 2);
    await tid('trend-chart').locator('svg').waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('runs the workflow: organisation, round, respondent, interview by keyboard, results, export', async () => {
    const { page, tid, errors } = await open('fake');

    // An organisation, from the first-run screen.
    await tid('org-name-input').fill('Acme Insurance');
    await tid('create-org').click();
    await tid('organisation-page').waitFor();
    assert.equal(await tid('org-title').innerText(), 'Acme Insurance');

    // A round.
    await tid('new-round').click();
    await tid('round-title').fill('Baseline assessment');
    assert.match(await tid('round-date').inputValue(), /^\d{4}-\d{2}-\d{2}$/);
    await tid('create-round').click();
    await tid('round-page').waitFor();
    assert.equal(await tid('round-heading').innerText(), 'Baseline assessment');

    // A respondent.
    await tid('add-respondent').click();
    await tid('respondent-name').fill('Jordan Ellis');
    await tid('respondent-role').selectOption('front-line');
    await tid('respondent-department').fill('Contact centre');
    await tid('save-respondent').click();
    const start = page.locator('[data-testid^="start-interview-"]');
    await start.waitFor();
    assert.equal((await start.innerText()).trim(), 'Start interview');
    const respondent = Number((await start.getAttribute('data-testid')).split('-').pop());
    await start.click();

    // The interview, by keyboard.
    await tid('question-text').waitFor();
    const first = await tid('question-text').innerText();
    await page.keyboard.press('2');
    await tid('answered-count').filter({ hasText: '1' }).waitFor();
    assert.notEqual(await tid('question-text').innerText(), first, 'answering moves to the next question');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await tid('question-text').innerText(), first);
    assert.match(await tid('current-answer').innerText(), /^2/);
    await page.keyboard.press('Backspace');
    await tid('answered-count').filter({ hasText: '0' }).waitFor();
    assert.equal(await tid('current-answer').innerText(), 'Not answered');
    await page.keyboard.press('d');
    await page.keyboard.press('ArrowLeft');
    assert.match(await tid('current-answer').innerText(), /Don't know/);
    await page.keyboard.press('n');
    await page.keyboard.press('ArrowLeft');
    assert.match(await tid('current-answer').innerText(), /Not applicable/);

    // A note: saved while typing (debounced), not one call per key.
    await page.keyboard.press('e');
    await page.keyboard.type('Shown the signed strategy.');
    await page.keyboard.press('Escape');
    await page.waitForTimeout(600);
    const notes = await calls(page, 'set_note');
    assert.ok(notes.length >= 1 && notes.length <= 3, `debounced: ${notes.length} saves`);
    assert.equal(notes.at(-1)[2], 'Shown the signed strategy.');

    // The rest: 4 everywhere, Enter to move on.
    await page.keyboard.press('4');
    for (let i = 1; i < 60; i++) await page.keyboard.press('4');
    await tid('interview-complete').waitFor();
    assert.equal(await tid('answered-count').innerText(), '60');
    const answers = await calls(page, 'set_answer');
    assert.deepEqual(answers.at(-1).slice(0, 1), [respondent]);
    assert.equal(await page.locator('[data-testid^="block-progress-"]').count(), 4);

    // Results.
    await tid('back-to-round').click();
    await tid('round-page').waitFor();
    await tid(`respondent-complete-${respondent}`).waitFor();
    await tid('results-link').click();
    await tid('org-phase').waitFor();
    assert.equal(await tid('org-phase').innerText(), '5');
    assert.equal(await tid('phase-name').innerText(), 'Customer-led');
    await tid('provisional-banner').waitFor();
    for (const chart of ['radar', 'ladder', 'heatmap']) await tid(`chart-${chart}`).locator('svg').waitFor();
    await tid('block-strategy').click();
    assert.match(await tid('explanation').innerText(), /Strategy reached the top phase/);

    // Export.
    await tid('export-pdf').click();
    await tid('export-result').waitFor();
    assert.match(await tid('export-result').innerText(), /saved/);
    assert.match(await tid('export-path').innerText(), /\.pdf$/);

    // Close the round: answers become read-only.
    await tid('crumb-round').click();
    await tid('close-round').click();
    await tid('round-closed-banner').waitFor();
    await tid('reopen-round').waitFor();
    await tid(`start-interview-${respondent}`).click();
    await tid('readonly-banner').waitFor();
    const before = (await calls(page, 'set_answer')).length;
    await page.keyboard.press('1');
    await page.keyboard.press('Backspace');
    assert.equal((await calls(page, 'set_answer')).length, before);
    assert.equal(await tid('answer-1').isDisabled(), true);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows a failed save, and keeps the previous answer', async () => {
    const { page, tid } = await open('fake=demo', '#/interview/29');
    await tid('question-text').waitFor();
    await page.evaluate(() => window.__cxmFake.failNext('set_answer', { code: 'database', message: 'the disk is full' }));
    const before = await tid('answered-count').innerText();
    await page.keyboard.press('3');
    await tid('save-error').waitFor();
    assert.match(await tid('save-error').innerText(), /the disk is full/);
    assert.equal(await tid('answered-count').innerText(), before);
    await page.close();
  });

  it('renames, archives and restores an organisation', async () => {
    const { page, tid } = await open('fake=demo', '#/');
    await tid('rename-org-1').click();
    await tid('rename-input-1').fill('Northwind Energy plc');
    await page.keyboard.press('Enter');
    await tid('org-link-1').filter({ hasText: 'Northwind Energy plc' }).waitFor();
    await tid('archive-org-1').click();
    await tid('orgs-empty').waitFor();
    await tid('show-archived').check();
    await tid('restore-org-1').click();
    await tid('archive-org-1').waitFor();
    await page.close();
  });

  it('deletes a round after a confirmation that names it', async () => {
    const { page, tid } = await open('fake=demo', '#/org/1');
    await tid('round-row-2').waitFor();
    await tid('delete-round-2').click();
    await tid('confirm-dialog').waitFor();
    assert.match(await tid('confirm-dialog').innerText(), /Baseline assessment/);
    await tid('confirm-ok').click();
    await tid('round-row-2').waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-testid^="round-row-"]').count(), 1);
    await page.close();
  });
});

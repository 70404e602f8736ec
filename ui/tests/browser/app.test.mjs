// The UI in a real browser (Debian's Chromium) over the real Rust backend, served by
// the UI's development server on a fresh database per test: the workflow a consultant
// follows, by keyboard where the app is keyboard-first.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { demoIds, readOnlyUnavailable, scenario, session, tempFolder, testFiles } from './harness.mjs';

const { open } = session({ before, after });

/** The demo with its six-month review open again (the demo closes both rounds). */
async function demoWithOpenReview() {
  const server = await scenario('demo');
  const ids = await demoIds(server);
  await server.api('reopen_round', { id: ids.review });
  return { server, ids };
}

describe('CX Maturity UI', () => {
  it('shows why the database could not be opened, and where it is', async () => {
    const { page, tid, errors, server } = await open('unopenable');
    const before = readFileSync(server.db);
    await tid('start-error').waitFor();
    assert.match(await tid('start-error-message').innerText(), /not a CX Maturity database/);
    assert.match(await tid('start-error-path').innerText(), /cxm\.sqlite$/);
    assert.equal(await tid('start-error-path').innerText(), server.db);
    // Try again: the same answer, and the file is still untouched.
    await tid('retry-start').click();
    await tid('start-error').waitFor();
    assert.deepEqual(readFileSync(server.db), before);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('offers the demo on first run', async () => {
    const { page, tid, errors, server } = await open('empty');
    await tid('welcome').waitFor();
    await tid('load-demo').click();
    await tid('organisation-page').waitFor();
    assert.equal(await tid('org-title').innerText(), 'Northwind Energy');
    await page.locator('[data-testid^="round-row-"]').first().waitFor();
    assert.equal(await page.locator('[data-testid^="round-row-"]').count(), 2);
    await tid('trend-chart').locator('svg').waitFor();
    assert.equal((await server.calls('load_demo')).length, 1);
    const [org] = await server.api('list_organisations', { includeArchived: false });
    assert.match(page.url(), new RegExp(`#/org/${org.id}$`));
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('runs the workflow: organisation, round, respondent, interview by keyboard, results, export', async () => {
    const { page, tid, errors, server } = await open('empty');

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

    // A respondent: an executive, who is asked every question of the default model
    // (the front line is asked fewer: questionnaire.test.mjs).
    await tid('add-respondent').click();
    await tid('respondent-name').fill('Jordan Ellis');
    await tid('respondent-role').selectOption('executive');
    await tid('respondent-department').fill('Operations');
    await tid('save-respondent').click();
    const start = page.locator('[data-testid^="start-interview-"]');
    await start.waitFor();
    assert.equal((await start.innerText()).trim(), 'Start interview');
    const respondent = Number((await start.getAttribute('data-testid')).split('-').pop());
    await start.click();

    // The interview, by keyboard.
    await tid('question-text').waitFor();
    const { total } = (await server.api('questionnaire', { respondent })).respondent;
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
    const notes = await server.calls('set_note');
    assert.ok(notes.length >= 1 && notes.length <= 3, `debounced: ${notes.length} saves`);
    assert.equal(notes.at(-1).note, 'Shown the signed strategy.');
    assert.equal(notes.at(-1).respondent, respondent);

    // The rest: 4 everywhere, Enter to move on.
    await page.keyboard.press('4');
    for (let i = 1; i < total; i++) await page.keyboard.press('4');
    await tid('interview-complete').waitFor();
    // The screen shows every answer at once; the count is the backend's, once each
    // answer is saved (in order).
    await tid('answered-count').filter({ hasText: new RegExp(`^${total}$`) }).waitFor();
    const answers = await server.calls('set_answer');
    assert.equal(answers.at(-1).respondent, respondent);
    assert.equal(answers.at(-1).value, '4');
    assert.equal(await page.locator('[data-testid^="block-progress-"]').count(), 4);
    // Stored: the note and every answer, as the backend has them.
    const stored = await server.api('questionnaire', { respondent });
    assert.equal(JSON.stringify(stored).includes('Shown the signed strategy.'), true);

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
    await tid('block-phase-strategy').click();
    assert.match(await tid('explain-text').innerText(), /Strategy reached the top phase/);
    await page.keyboard.press('Escape');
    await tid('explain-dialog').waitFor({ state: 'hidden' });

    // Export: a real PDF, where the save dialog said.
    await tid('export-pdf').click();
    await tid('export-result').waitFor();
    assert.match(await tid('export-result').innerText(), /saved/);
    const pdf = await tid('export-path').innerText();
    assert.match(pdf, /\.pdf$/);
    assert.ok(pdf.startsWith(server.saved), `${pdf} is in the folder the dialog chose`);
    assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
    assert.deepEqual((await server.log()).opened, [pdf], 'opened in the system viewer');

    // Close the round: answers become read-only.
    await tid('crumb-round').click();
    await tid('close-round').click();
    await tid('round-closed-banner').waitFor();
    await tid('reopen-round').waitFor();
    await tid(`start-interview-${respondent}`).click();
    await tid('readonly-banner').waitFor();
    const before = (await server.calls('set_answer')).length;
    await page.keyboard.press('1');
    await page.keyboard.press('Backspace');
    assert.equal((await server.calls('set_answer')).length, before);
    assert.equal(await tid('answer-1').isDisabled(), true);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows a failed save, and keeps the previous answer', async () => {
    const { server, ids } = await demoWithOpenReview();
    const { respondents } = await server.api('round_page', { id: ids.review });
    const unfinished = respondents.find((r) => !r.complete);
    assert.ok(unfinished && unfinished.answered < unfinished.total, 'the demo has an unfinished interview');
    const { page, tid } = await open(server, `#/interview/${unfinished.id}`);
    await tid('question-text').waitFor();
    await server.failNext('set_answer', 'database', 'the disk is full');
    const before = await tid('answered-count').innerText();
    await page.keyboard.press('3');
    await tid('save-error').waitFor();
    assert.match(await tid('save-error').innerText(), /the disk is full/);
    assert.equal(await tid('answered-count').innerText(), before);
    const after = await server.api('round_page', { id: ids.review });
    assert.equal(after.respondents.find((r) => r.id === unfinished.id).answered, unfinished.answered, 'nothing was saved');
    await page.close();
    await server.close();
  });

  it('renames, archives and restores an organisation', async () => {
    const server = await scenario('demo');
    const { org } = await demoIds(server);
    const { page, tid } = await open(server, '#/');
    await tid(`rename-org-${org}`).click();
    await tid(`rename-input-${org}`).fill('Northwind Energy plc');
    await page.keyboard.press('Enter');
    await tid(`org-link-${org}`).filter({ hasText: 'Northwind Energy plc' }).waitFor();
    await tid(`archive-org-${org}`).click();
    await tid('orgs-empty').waitFor();
    assert.deepEqual(await server.api('list_organisations', { includeArchived: false }), []);
    await tid('show-archived').check();
    await tid(`restore-org-${org}`).click();
    await tid(`archive-org-${org}`).waitFor();
    const [back] = await server.api('list_organisations', { includeArchived: false });
    assert.equal(back.name, 'Northwind Energy plc');
    await page.close();
    await server.close();
  });

  it('compares with a chosen round, or none, and exports with that choice', async () => {
    const server = await scenario('demo');
    const { baseline, review } = await demoIds(server);
    const { page, tid, errors } = await open(server, `#/results/${review}`);
    await tid('progress').waitFor();
    assert.equal(await tid('compare-with').inputValue(), String(baseline));
    assert.match(await tid('progress').innerText(), /Progress since Baseline assessment/);
    // The demo's story: phase 1 in March, phase 2 six months later.
    assert.match(await tid('progress-phase').innerText(), /1 → 2/);
    assert.match(await tid('progress-phase-strategy').innerText(), /^\d → \d$/);
    assert.match(await tid('progress-dm-strategy').innerText(), /^\+\d\.\d\d$/);
    await tid('block-delta-culture').waitFor();
    assert.deepEqual((await server.calls('results')).at(-1), { round: review, compareWith: { kind: 'previous' } });

    // No comparison: reloads without one, the address says so, the PDF follows.
    await tid('compare-with').selectOption('none');
    await tid('no-comparison').waitFor();
    await tid('progress').waitFor({ state: 'detached' });
    assert.match(page.url(), new RegExp(`#/results/${review}\\?compare=none$`));
    assert.deepEqual((await server.calls('results')).at(-1), { round: review, compareWith: { kind: 'none' } });
    await tid('export-pdf').click();
    await tid('export-result').waitFor();
    assert.match(await tid('export-result').innerText(), /without a comparison/);
    assert.deepEqual((await server.calls('export_pdf')).at(-1), { round: review, compareWith: { kind: 'none' } });

    // Back to the previous round.
    await tid('compare-with').selectOption(String(baseline));
    await tid('progress').waitFor();
    assert.match(page.url(), new RegExp(`#/results/${review}$`));
    await tid('export-pdf').click();
    await tid('export-result').filter({ hasText: 'Baseline assessment' }).waitFor();
    assert.deepEqual((await server.calls('export_pdf')).at(-1), { round: review, compareWith: { kind: 'previous' } });

    // A first round has nothing to compare with: no picker.
    await page.evaluate((h) => (location.hash = h), `#/results/${baseline}`);
    await tid('org-phase').waitFor();
    await tid('phase-card').waitFor();
    assert.equal(await tid('compare-with').count(), 0);
    assert.equal(await tid('progress').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
    await server.close();
  });

  it('explains a figure in a dialog that Esc closes, giving focus back', async () => {
    const server = await scenario('demo');
    const { review } = await demoIds(server);
    const results = await server.api('results', { round: review, compareWith: { kind: 'previous' } });
    const { page, tid, errors } = await open(server, `#/results/${review}`);
    await tid('phase-card').waitFor();
    await tid('phase-card').focus();
    await page.keyboard.press('Enter');
    await tid('explain-dialog').waitFor();
    assert.match(await tid('explain-title').innerText(), /Why phase 2/);
    const text = await tid('explain-text').innerText();
    assert.match(text, /bottleneck/);
    assert.match(text, /target was phase 3/);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'explain-close');
    await page.keyboard.press('Escape');
    await tid('explain-dialog').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'phase-card');

    await tid('block-maturity-culture').click();
    assert.match(await tid('explain-title').innerText(), /Culture: maturity \d\.\d\d/);
    assert.match(await tid('explain-text').innerText(), /Maturity = reached phase \+ attainment of the next phase/);
    assert.ok((await page.locator('[data-testid^="explain-lowest-"]').count()) >= 1);
    await tid('explain-close').click();
    await tid('explain-dialog').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'block-maturity-culture');

    await tid('block-phase-process').click();
    assert.match(await tid('explain-text').innerText(), /Process reached phase \d/);
    await page.keyboard.press('Escape');

    const why = page.locator('[data-testid^="action-why-"]').first();
    const question = (await why.getAttribute('data-testid')).slice('action-why-'.length);
    assert.equal(question, results.actions[0].question, 'the first action is the backend’s first');
    await why.click();
    assert.match(await tid('explain-title').innerText(), new RegExp(`Why ${question} is on the list`));
    assert.match(await tid('explain-text').innerText(), /Priority = \(threshold - attainment\)/);
    await page.keyboard.press('Escape');
    await tid('explain-dialog').waitFor({ state: 'hidden' });
    assert.deepEqual(errors, []);
    await page.close();
    await server.close();
  });

  it('shows alignment: Voice of the Customer and Culture flagged, a hidden group, and the lowest questions of a cell', async () => {
    const { server, ids } = await demoWithOpenReview();
    // The demo's story: executives see a rosier Voice of the Customer and Culture than
    // the front line, and both gaps are flagged.
    const full = await server.api('results', { round: ids.review, compareWith: { kind: 'previous' } });
    const flagged = full.alignment.blocks.filter((b) => b.flagged).map((b) => b.id);
    assert.deepEqual(flagged.sort(), ['culture', 'voice-of-customer']);
    let { page, tid, errors } = await open(server, `#/results/${ids.review}`);
    await tid('alignment-table').waitFor();
    for (const block of ['voice-of-customer', 'culture']) {
      assert.match(await tid(`align-gap-${block}`).getAttribute('aria-label'), /, flagged\./, `${block} is flagged`);
    }
    for (const block of ['strategy', 'process']) {
      assert.doesNotMatch(await tid(`align-gap-${block}`).getAttribute('aria-label'), /flagged/, `${block} is not flagged`);
    }
    await page.close();

    // Four front-line interviews fewer: 2 respondents, under the anonymity threshold.
    const { respondents } = await server.api('round_page', { id: ids.review });
    const frontLine = respondents.filter((r) => r.role_group === 'front-line');
    assert.equal(frontLine.length, 6);
    for (const r of frontLine.slice(0, 4)) await server.api('remove_respondent', { id: r.id });
    ({ page, tid, errors } = await open(server, `#/round/${ids.review}`));
    await tid('round-page').waitFor();
    await tid('results-link').click();
    await tid('alignment-table').waitFor();
    assert.equal(await tid('align-group-front-line').getAttribute('data-hidden'), 'true');
    assert.match(await tid('align-group-front-line').innerText(), /n = 2 · hidden/);
    assert.match(await tid('align-hidden-note-front-line').innerText(), /fewer than the anonymity threshold of 3/);
    assert.equal(await page.locator('[data-testid^="align-cell-"][data-testid$="-front-line"]').count(), 0);
    assert.equal(await page.locator('[data-testid^="align-cell-"]').count(), 8, '4 blocks × 2 shown groups');
    await tid('chart-heatmap').locator('svg').waitFor();

    assert.match(await tid('align-detail').innerText(), /Select a figure/);
    await tid('align-cell-culture-executive').click();
    assert.equal(await tid('align-cell-culture-executive').getAttribute('aria-pressed'), 'true');
    const detail = await tid('align-detail').innerText();
    assert.match(detail, /Culture · Executive/i);
    const lowest = page.locator('[data-testid^="align-lowest-"]');
    assert.equal(await lowest.count(), 3);
    assert.match(await lowest.first().innerText(), /CUL-/);

    await tid('align-gap-culture').click();
    assert.match(await tid('explain-text').innerText(), /Culture: gap = highest - lowest group attainment/);
    await page.keyboard.press('Escape');
    assert.deepEqual(errors, []);
    await page.close();
    await server.close();
  });

  it('imports a model: lists each problem of a broken file, then the new version', async () => {
    const files = await testFiles();
    const server = await scenario('demo');
    const { org } = await demoIds(server);
    const { page, tid, errors } = await open(server, '#/models');
    // Both built-in versions are listed; the demo's rounds are on version 2, the default.
    for (const key of ['cx-maturity@1', 'cx-maturity@2']) {
      await tid(`model-row-${key}`).waitFor();
      assert.match(await tid(`model-row-${key}`).innerText(), /Built-in/);
    }
    await tid('model-default-cx-maturity@2').waitFor();
    assert.equal(await tid('model-default-cx-maturity@1').count(), 0);
    assert.equal(await tid('model-rounds-cx-maturity@2').innerText(), '2');
    assert.equal(await tid('model-rounds-cx-maturity@1').innerText(), '0');

    await server.pick(files.brokenModel);
    await tid('import-model').click();
    await tid('import-error').waitFor();
    assert.equal(await tid('import-error').getAttribute('data-code'), 'invalid_model');
    const problems = tid('import-problem');
    assert.equal(await problems.count(), 2);
    const at = files.brokenModelLines;
    assert.match(await problems.nth(0).innerText(), new RegExp(`^my-method\\.toml:${at.phase}:\\s+questions\\[0\\]\\.phase\\s+phase 9 does not exist`));
    assert.match(await problems.nth(1).innerText(), new RegExp(`^my-method\\.toml:${at.weight}:\\s+questions\\[0\\]\\.weight\\s+must be from 0\\.1 to 100, found -1`));
    // Still there a while later: not a toast.
    await page.waitForTimeout(1500);
    assert.equal(await problems.count(), 2);
    assert.equal((await server.log()).dialogs.at(-1).title, 'Import a model file');

    // Cancelling the dialog changes nothing.
    await server.pick(null);
    await tid('import-model').click();
    await page.waitForTimeout(200);
    assert.equal(await tid('import-result').count(), 0);
    assert.equal(await page.locator('[data-testid^="model-row-"]').count(), 2);

    await server.pick(files.modelV3);
    await tid('import-model').click();
    await tid('import-result').waitFor();
    assert.equal(await tid('import-result').getAttribute('data-kind'), 'imported');
    assert.equal(await tid('import-error').count(), 0);
    await tid('model-row-cx-maturity@3').waitFor();
    await tid('model-default-cx-maturity@3').waitFor();
    assert.doesNotMatch(await tid('model-row-cx-maturity@3').innerText(), /Built-in/);
    assert.equal(await tid('model-default-cx-maturity@2').count(), 0);
    assert.equal(await tid('model-default-cx-maturity@1').count(), 0);
    assert.equal(await page.locator('[data-testid^="model-row-"]').count(), 3);

    // The new-round form offers every version, the new default chosen.
    await page.evaluate((h) => (location.hash = h), `#/org/${org}`);
    await tid('new-round').click();
    assert.equal(await tid('round-model').inputValue(), 'cx-maturity@3');
    assert.deepEqual(await tid('round-model').locator('option').evaluateAll((o) => o.map((x) => x.value)), [
      'cx-maturity@1',
      'cx-maturity@2',
      'cx-maturity@3',
    ]);
    assert.deepEqual(errors, []);
    await page.close();
    await server.close();
  });

  it('shows progress on the organisation page and compares any two rounds', async () => {
    const { server, ids } = await demoWithOpenReview();
    const { page, tid, errors } = await open(server, `#/org/${ids.org}`);
    await tid('org-progress-phase').waitFor();
    assert.match(await tid('org-progress-phase').innerText(), /1 → 2/);
    await tid('progress-row-culture').waitFor();
    const { info } = await server.api('round_page', { id: ids.review });
    assert.equal(await tid(`round-model-${ids.review}`).innerText(), info.model_key, 'the demo is on the default model');
    assert.equal(await tid(`round-row-${ids.review}`).getByTestId('provisional-mark').count(), 1);
    assert.equal(await tid(`round-row-${ids.baseline}`).getByTestId('provisional-mark').count(), 0);
    assert.match(await tid(`round-interviews-${ids.review}`).innerText(), /15 \/ 16/);
    assert.match(await tid(`round-interviews-${ids.baseline}`).innerText(), /14 \/ 14/);
    // Either order: the later round's results, compared with the earlier one.
    await tid('compare-a').selectOption(String(ids.review));
    await tid('compare-b').selectOption(String(ids.baseline));
    await tid('compare-go').click();
    await tid('progress').waitFor();
    assert.match(page.url(), new RegExp(`#/results/${ids.review}\\?compare=${ids.baseline}$`));
    assert.equal(await tid('compare-with').inputValue(), String(ids.baseline));
    assert.deepEqual((await server.calls('results')).at(-1), { round: ids.review, compareWith: { kind: 'round', id: ids.baseline } });
    assert.deepEqual(errors, []);
    await page.close();
    await server.close();
  });

  it('shows how many respondents answered each question of an open round, out of those asked it', async () => {
    const { server, ids } = await demoWithOpenReview();
    const round = await server.api('round_page', { id: ids.review });
    const counts = round.answered_per_question;
    const asked = round.asked_per_question;
    const people = round.respondents.length;
    const n = round.model.questions.length;
    assert.equal(people, 16);
    assert.equal(counts.length, n);
    assert.equal(asked.length, n);
    const last = n - 1;
    assert.ok(counts[last] < asked[last], 'the unfinished interview stopped before the last question');
    // Complete: answered by every respondent asked it (the backend counts who is asked).
    const everyone = counts.filter((c, i) => asked[i] > 0 && c >= asked[i]).length;
    const askedOfSomeone = asked.filter((a) => a > 0).length;
    const summary = asked.every((a) => a === people)
      ? `${everyone} of ${n} questions answered by all ${people} respondents`
      : `${everyone} of ${askedOfSomeone} questions answered by every respondent asked them`;
    const { page, tid, errors } = await open(server, `#/round/${ids.review}`);
    await tid('answered-per-question').waitFor();
    assert.match(await tid('answered-summary').innerText(), new RegExp(`^${summary}`));
    await tid('answered-per-question').locator('summary').click();
    assert.equal(await tid('answered-0').innerText(), `${counts[0]}/${asked[0]}`);
    assert.equal(await tid(`answered-${last}`).innerText(), `${counts[last]}/${asked[last]}`);
    const partial = asked.findIndex((a) => a > 0 && a < people);
    if (partial >= 0) assert.equal(await tid(`answered-${partial}`).innerText(), `${counts[partial]}/${asked[partial]}`);
    await tid('answered-block-culture').waitFor();
    assert.equal(await tid('round-phase').getByTestId('provisional-mark').count(), 1);
    assert.deepEqual(errors, []);
    await page.close();
    await server.close();
  });

  it('deletes a round after a confirmation that names it', async () => {
    const server = await scenario('demo');
    const { org, baseline } = await demoIds(server);
    const { page, tid } = await open(server, `#/org/${org}`);
    await tid(`round-row-${baseline}`).waitFor();
    await tid(`delete-round-${baseline}`).click();
    await tid('confirm-dialog').waitFor();
    assert.match(await tid('confirm-dialog').innerText(), /Baseline assessment/);
    await tid('confirm-ok').click();
    await tid(`round-row-${baseline}`).waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-testid^="round-row-"]').count(), 1);
    const [left] = await server.api('list_organisations', { includeArchived: false });
    assert.deepEqual(left.rounds.map((r) => r.title), ['Six-month review']);
    await page.close();
    await server.close();
  });

  it('settings: quotes in the board report name interviewees only when the box is ticked', async () => {
    const { page, tid, errors, server } = await open('demo', '#/settings');
    await tid('settings-page').waitFor();
    const box = tid('attribute-quotes');
    assert.equal(await box.isChecked(), false, 'off by default');
    assert.match(await tid('attribute-quotes-rule').innerText(), /role group.*at least 3 respondents.*never to a name/);
    // The box is reached by keyboard and labelled.
    assert.equal(await page.getByLabel('Name the interviewee beside each quote').count(), 1);
    await box.focus();
    await page.keyboard.press('Space');
    await tid('attribute-quotes-saved').waitFor();
    assert.equal(await box.isChecked(), true);
    assert.match(await tid('attribute-quotes-rule').innerText(), /names the interviewee/);
    assert.deepEqual(await server.calls('set_attribute_quotes'), [{ on: true }]);
    // Kept: the page again, from the sidebar.
    await tid('nav-home').click();
    await tid('organisations-page').waitFor();
    await tid('nav-settings').click();
    await tid('settings-page').waitFor();
    assert.equal(await tid('attribute-quotes').isChecked(), true);
    // A refused change: the box goes back and says why.
    await server.failNext('set_attribute_quotes', 'io', 'disk full');
    await tid('attribute-quotes').click();
    await tid('attribute-quotes-error').waitFor();
    assert.match(await tid('attribute-quotes-error').innerText(), /disk full/);
    assert.equal(await tid('attribute-quotes').isChecked(), true);
    assert.equal((await server.api('settings')).attribute_quotes, true);
    // Off again.
    await tid('attribute-quotes').uncheck();
    await tid('attribute-quotes-saved').waitFor();
    assert.deepEqual(await server.calls('set_attribute_quotes'), [{ on: true }, { on: false }, { on: false }]);
    assert.equal(await tid('attribute-quotes').isChecked(), false);
    assert.equal((await server.api('settings')).attribute_quotes, false);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('settings: saves the branding, shows a logo error, backs up and restores after a confirmation', async () => {
    const files = await testFiles();
    const server = await scenario('demo');
    const { org } = await demoIds(server);
    const { page, tid, errors } = await open(server, '#/settings');
    await tid('settings-page').waitFor();
    assert.equal(await tid('threshold-mastery').innerText(), '0.75');
    assert.equal(await tid('threshold-anonymity').innerText(), '3');
    assert.equal(await tid('threshold-flag').innerText(), '0.25');
    assert.equal(await tid('db-path').innerText(), server.db);
    assert.equal(await page.locator('[data-testid^="backup-row-"]').count(), 1, 'the automatic backup after start');
    assert.match(await page.locator('[data-testid^="backup-row-"]').first().getAttribute('data-testid'), /-auto\.sqlite$/);

    // Branding: the prepared-by text, saved by Enter; a logo error, then a logo.
    await tid('prepared-by-input').fill('Jane Doe, Acme Consulting');
    await tid('prepared-by-input').press('Enter');
    await tid('prepared-by-saved').waitFor();
    assert.deepEqual(await server.calls('set_prepared_by'), [{ text: 'Jane Doe, Acme Consulting' }]);
    await server.pick(files.notImage);
    await tid('choose-logo').click();
    assert.match(await tid('logo-error').innerText(), /logo\.txt is not a PNG or JPEG image/);
    await tid('no-logo').waitFor();
    await server.pick(files.logo);
    await tid('choose-logo').click();
    await tid('logo-preview').waitFor();
    await tid('logo-error').waitFor({ state: 'detached' });
    assert.match(await tid('logo-preview').getAttribute('src'), /^data:image\/png;base64,/);
    assert.match(await tid('logo-size').innerText(), /120 × 40/);

    // Options: a bad number is refused on the screen; a good one saved.
    await tid('backup-keep').fill('0');
    await tid('save-backup-options').click();
    assert.match(await tid('backup-options-error').innerText(), /whole number from 1 to 100/);
    await tid('backup-keep').fill('5');
    await tid('backup-enabled').uncheck();
    await tid('save-backup-options').click();
    await tid('backup-options-saved').waitFor();
    assert.deepEqual((await server.calls('set_backup_options')).at(-1), { enabled: false, keep: 5 });

    // Back up now: listed first.
    await tid('back-up-now').click();
    await tid('backup-result').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="backup-row-"]').length === 2);
    const rows = await page.locator('[data-testid^="backup-row-"]').all();
    const made = (await rows[0].getAttribute('data-testid')).slice('backup-row-'.length);
    assert.match(made, /-manual\.sqlite$/);
    assert.match(await rows[0].innerText(), /Backed up by hand/);

    // A change, then the restore of that backup: cancel first, then confirm.
    await server.api('rename_organisation', { id: org, name: 'Changed Energy' });
    await tid(`restore-backup-${made}`).click();
    await tid('confirm-dialog').waitFor();
    const title = await page.locator('#dialog-title').innerText();
    assert.match(title, /^Restore the backup of \d{1,2} \w{3} \d{4}, \d{2}:\d{2}\?$/);
    assert.equal(await tid('restore-file').innerText(), made);
    await tid('confirm-cancel').click();
    assert.deepEqual(await server.calls('restore_backup'), []);
    await tid(`restore-backup-${made}`).click();
    await tid('confirm-ok').click();
    await tid('restore-result').waitFor();
    assert.deepEqual(await server.calls('restore_backup'), [{ fileName: made }]);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="backup-row-"]').length === 3);
    const safety = (await server.api('settings')).backups.list.find((b) => b.reason === 'before_restore');
    assert.match(await tid(`backup-row-${safety.file_name}`).innerText(), /Before a restore/, 'plus the safety backup');
    // The sidebar shows the restored name; so does the organisations page.
    await page.waitForFunction((id) => document.querySelector(`[data-testid="nav-org-${id}"]`)?.textContent.includes('Northwind Energy'), org);
    await tid('restore-go-home').click();
    await tid('organisations-page').waitFor();
    assert.equal((await tid(`org-link-${org}`).innerText()).trim(), 'Northwind Energy');
    // Reached from the sidebar.
    await tid('nav-settings').click();
    await tid('settings-page').waitFor();
    assert.equal(await tid('prepared-by-input').inputValue(), 'Jane Doe, Acme Consulting');
    assert.deepEqual(errors, []);
    await page.close();
    await server.close();
  });

  it('says when the database is damaged, points to the backups, and clears once a good backup is restored', async () => {
    const { page, tid, errors, server } = await open('damaged', '#/');
    await tid('organisations-page').waitFor();
    // The check runs a little after start; nothing is said before it has. (The shell
    // asks for the health next to the page's data: wait until its first answer is in.)
    let first = 0;
    for (let i = 0; i < 50 && first === 0; i++) {
      first = (await server.calls('database_health')).length;
      if (first === 0) await page.waitForTimeout(100);
    }
    assert.ok(first >= 1, 'the UI asked for the database health');
    await tid('health-damage').waitFor();
    assert.ok((await server.calls('database_health')).length > first, 'the UI asked again until the check had run');
    const text = await tid('health-damage').innerText();
    assert.match(text, /The database is damaged\./);
    assert.match(text, /restore the last good backup/);
    assert.equal(await tid('health-damage').getAttribute('role'), 'alert');
    // Shown on every screen of the shell.
    const { org } = await demoIds(server);
    await tid(`nav-org-${org}`).click();
    await tid('organisation-page').waitFor();
    await tid('health-damage').waitFor();
    await tid('health-restore').click();
    await tid('settings-page').waitFor();
    await tid('settings-backups').waitFor(); // the settings loaded (the page shows first)
    const good = page.locator('[data-testid^="restore-backup-"]');
    assert.equal(await good.count(), 1, 'the good backup made before the damage');
    await good.first().click();
    await tid('confirm-ok').click();
    await tid('restore-result').waitFor();
    assert.match(await tid('restore-result').innerText(), /The damaged database was kept apart as .* it is not offered as a backup/);
    await tid('health-damage').waitFor({ state: 'detached' });
    assert.equal((await server.api('database_health')).damage, null);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('says when the database is open read-only', { skip: readOnlyUnavailable() ?? false }, async () => {
    const { page, tid, errors } = await open('read-only', '#/');
    await tid('health-read-only').waitFor();
    assert.match(await tid('health-read-only').innerText(), /Read-only\. The database is open read-only \(its folder/);
    assert.equal(await tid('health-damage').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  // Help → About. The development server gets the licence notice's place from
  // CXM_LICENCES (read when it starts), as the app would from a package.
  async function openWithLicences(which, hash, notice) {
    process.env.CXM_LICENCES = notice;
    try {
      return await open(which, hash);
    } finally {
      delete process.env.CXM_LICENCES;
    }
  }

  it('About: version, models, database, folders and platform; diagnostics copied with no client data', async () => {
    const notice = join(tempFolder('licences'), 'THIRD-PARTY-LICENSES.html');
    writeFileSync(notice, '<!doctype html><title>Third-party licences</title>\n');
    const { page, tid, errors, server } = await openWithLicences('demo', '#/', notice);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    await tid('organisations-page').waitFor();

    // The sidebar's last entry.
    assert.equal(await tid('nav-about').getAttribute('title'), 'Help: version, data and diagnostics');
    await tid('nav-about').click();
    await tid('about-page').waitFor();
    assert.match(page.url(), /#\/about$/);
    assert.equal(await tid('nav-about').getAttribute('aria-current'), 'page');

    // What the backend sends, shown.
    const about = await server.api('about');
    await tid('about-details').waitFor();
    assert.equal(await tid('about-name').innerText(), 'CX Maturity');
    assert.match(about.version, /^\d+\.\d+\.\d+/);
    assert.equal(await tid('about-version').innerText(), about.version);
    const models = await tid('about-models').innerText();
    assert.deepEqual(about.models.map((m) => m.key), ['cx-maturity@1', 'cx-maturity@2']);
    for (const m of about.models) {
      assert.ok(models.includes(m.key), `${m.key} in ${models}`);
      assert.ok(models.includes(m.title), `${m.title} in ${models}`);
    }
    assert.equal(await tid('about-db-path').innerText(), server.db);
    assert.ok(about.schema_version >= 1);
    assert.match(await tid('about-schema').innerText(), new RegExp(`^${about.schema_version}\\s+\\(this version writes ${about.schema_latest}\\)$`));
    assert.equal(await tid('about-data-dir').innerText(), dirname(server.db));
    assert.equal(await tid('about-log-dir').innerText(), join(dirname(server.db), 'logs'));
    assert.equal(await tid('about-webview').innerText(), 'Not reported'); // no web view told the server
    assert.equal(await tid('about-os').innerText(), about.os);
    assert.equal(await tid('about-db-error').count(), 0);
    assert.match(await tid('about-log-rule').innerText(), /ids and events only: no answers, notes or names/);
    assert.equal(await tid('about-licences-path').innerText(), realpathSync(notice));

    // The preview: exactly the backend's text, which names no client.
    await tid('diagnostics-preview').locator('summary').click();
    const text = await tid('diagnostics-text').inputValue();
    const fresh = await server.api('diagnostics');
    const fields = (t) => t.split('\n\n')[0].split('\n').filter((l) => !l.startsWith('Made at:'));
    assert.deepEqual(fields(text), fields(fresh.text));
    assert.ok(fields(text).length >= 10, text);
    for (const field of [`CX Maturity ${about.version}`, server.db, about.os, 'cx-maturity@2', `Schema version:   ${about.schema_version}`]) {
      assert.ok(text.includes(field), `${field} in\n${text}`);
    }
    const ids = await demoIds(server);
    const [org] = await server.api('list_organisations', { includeArchived: false });
    const round = await server.api('round_page', { id: ids.review });
    const names = [org.name, ...org.rounds.map((r) => r.title), ...round.respondents.map((r) => r.name)];
    for (const r of round.respondents) if (r.department) names.push(r.department);
    assert.ok(names.length > 5);
    for (const name of names) assert.ok(!text.includes(name), `${name} in the diagnostics`);

    // Copy diagnostics: the clipboard holds the preview's text.
    await tid('copy-diagnostics').click();
    await tid('diagnostics-copied').waitFor();
    assert.equal(await tid('diagnostics-copied').getAttribute('role'), 'status');
    assert.match(await tid('diagnostics-copied').innerText(), /^Copied — (\d+ log lines?|no log lines yet), no client data\.$/);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);

    // A clipboard that refuses: the text to copy by hand, selected.
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
    });
    await tid('copy-diagnostics').click();
    await tid('diagnostics-fallback').waitFor();
    assert.equal(await tid('diagnostics-copied').count(), 0);
    assert.equal(await tid('diagnostics-fallback').inputValue(), text);
    assert.ok(
      await tid('diagnostics-fallback').evaluate((el) => document.activeElement === el && el.selectionStart === 0 && el.selectionEnd === el.value.length),
      'the text is focused and selected',
    );
    assert.match(await page.locator('label:has([data-testid="diagnostics-fallback"])').innerText(), /Copy it from here/);

    // Third-party licences: the notice, opened with the system viewer.
    await tid('open-licences').click();
    let opened = [];
    for (let i = 0; i < 50 && opened.length === 0; i++) {
      opened = (await server.log()).opened;
      if (opened.length === 0) await page.waitForTimeout(100);
    }
    assert.deepEqual(opened, [realpathSync(notice)]);
    assert.equal(await tid('licences-error').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('About works when the database could not be opened, and says where the licences come from', async () => {
    const missing = join(tempFolder('no-licences'), 'THIRD-PARTY-LICENSES.html');
    const { page, tid, errors, server } = await openWithLicences('unopenable', '#/about', missing);
    await tid('about-page').waitFor();
    await tid('about-db-error').waitFor();
    assert.match(await tid('about-db-error').innerText(), /The database could not be opened\. .*not a CX Maturity database/);
    assert.match(await tid('about-schema').innerText(), /^Unknown/);
    await tid('diagnostics-preview').locator('summary').click();
    assert.match(await tid('diagnostics-text').inputValue(), /Database state:   could not be opened: .*\(not_a_cxm_database\)/);
    // Not installed: what to do, inline. (Found anyway when this machine has the
    // package installed, or `scripts/licences.sh` wrote it next to the build: then it
    // opens.)
    const { licences } = await server.api('about');
    await tid('open-licences').click();
    if (licences === null) {
      await tid('about-licences-missing').waitFor();
      await tid('licences-error').waitFor();
      assert.match(
        await tid('licences-error').innerText(),
        /installed with the package \(\/usr\/share\/doc\/cx-maturity\/THIRD-PARTY-LICENSES\.html\); in a build from source, run `bash scripts\/licences\.sh`/,
      );
    } else {
      assert.equal(await tid('about-licences-path').innerText(), licences);
      let opened = [];
      for (let i = 0; i < 50 && opened.length === 0; i++) {
        opened = (await server.log()).opened;
        if (opened.length === 0) await page.waitForTimeout(100);
      }
      assert.deepEqual(opened, [licences]);
    }
    // Back to the start error, which says what to do.
    await tid('about-back').click();
    await tid('start-error').waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });
});

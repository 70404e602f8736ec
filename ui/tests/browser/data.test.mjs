// Import and export in a real browser over the real Rust backend (the UI's development
// server): the responses CSV preview (every problem listed, import disabled; then a
// valid file previewed and imported), the round's exports, and engagement files (a
// damaged one refused, a valid one opened as a new organisation). The open dialog
// picks the harness's test files; the save dialog saves into the scenario's folder.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { demoIds, scenario, session, testFiles } from './harness.mjs';

const { open } = session({ before, after });

const rows = (page) => page.locator('[data-testid^="respondent-row-"]').count();

/** The demo's six-month review, opened again (the demo closes it), reached by clicking. */
async function openReview(page, tid) {
  await tid('organisation-page').waitFor();
  await page.getByRole('link', { name: 'Six-month review', exact: true }).click();
  await tid('round-page').waitFor();
  await page.locator('[data-testid^="respondent-row-"]').first().waitFor();
}

describe('import and export', () => {
  it('previews a responses file: a file with problems lists each with line and column and cannot be imported', async () => {
    const files = await testFiles();
    const server = await scenario('demo');
    const ids = await demoIds(server);
    const { page, tid, errors } = await open(server, `#/org/${ids.org}`);
    await openReview(page, tid);
    // A closed round takes no answers: open it again first.
    await tid('reopen-round').click();
    await tid('close-round').waitFor();
    const before = await rows(page);
    assert.equal(before, 16);

    await server.pick(files.brokenSurvey);
    await tid('import-responses').click();
    await tid('import-preview').waitFor();
    assert.equal(await tid('import-preview').getAttribute('data-state'), 'blocked');
    assert.equal(await tid('import-preview-file').innerText(), 'survey-export.csv');
    const issues = await tid('import-issue').allInnerTexts();
    assert.equal(issues.length, 3);
    assert.match(issues[0], /^Line 3, column 7 \(STR-2\.1\)\s+`5` is not an answer/);
    assert.match(issues[1], /^Line 4, column 2 \(role\)\s+unknown role `intern`/);
    assert.match(issues[2], /^Line 6, column 1 \(respondent\)\s+respondent `R-101` is named twice \(also line 2\)/);
    assert.match(await tid('import-preview-blocked').innerText(), /cannot be imported: 3 problems/);
    assert.equal(await tid('import-preview-confirm').isDisabled(), true);
    await tid('import-preview-cancel').click();
    await tid('import-preview').waitFor({ state: 'hidden' });
    assert.equal(await rows(page), before);
    assert.deepEqual(await server.calls('import_responses'), []);
    assert.equal((await server.log()).dialogs.at(-1).answer, files.brokenSurvey);

    // The corrected file: a preview of what will be added, then the import.
    await server.pick(files.survey);
    await tid('import-responses').click();
    await tid('import-preview-respondents').waitFor();
    assert.equal(await tid('import-preview').getAttribute('data-state'), 'ready');
    assert.equal(await tid('import-preview-respondent').count(), 3);
    // The default model (version 2) has 17 questions in each of the two blocks: R-101
    // answers 17 + 3, R-102 and R-103 17 each.
    assert.equal(await tid('import-preview-summary').innerText(), '3 respondents with 54 answers');
    // Strategy: 17 of 17 questions in the file, 34 answers (two respondents answer it all).
    assert.match(await tid('import-preview-block-strategy').innerText(), /17 of 17\s+34/);
    assert.match(await tid('import-preview-block-voice-of-customer').innerText(), /17 of 17\s+20/);
    assert.equal(await tid('import-issue').count(), 0);
    assert.equal(await tid('import-preview-confirm').innerText(), 'Import 3 respondents');
    await tid('import-preview-confirm').click();
    await tid('import-responses-result').waitFor();
    assert.match(await tid('import-responses-result').innerText(), /Imported 3 respondents with 54 answers from survey-export\.csv/);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="respondent-row-"]').length === n, before + 3);
    const stored = await server.api('round_page', { id: ids.review });
    const r101 = stored.respondents.find((r) => r.name === 'R-101');
    // All 20 of R-101's answers are stored; completion counts the 19 a manager is asked
    // (STR-5.2 is asked of executives only).
    assert.deepEqual([r101.role_group, r101.department, r101.answered], ['manager', 'Claims', 19]);
    const r101Answers = await server.api('questionnaire', { respondent: r101.id });
    assert.equal(r101Answers.answers.filter((a) => a.value !== null).length, 20);

    // The same file again: its respondents are now in the round.
    await tid('import-responses').click();
    await tid('import-issue').first().waitFor();
    assert.match(await tid('import-issue').first().innerText(), /Line 2, column 1 \(respondent\)\s+respondent `R-101` is already in this round/);
    assert.equal(await tid('import-preview-confirm').isDisabled(), true);
    await page.keyboard.press('Escape');
    await tid('import-preview').waitFor({ state: 'hidden' });
    assert.equal((await server.calls('discard_responses')).length, 0, 'a blocked preview has no token to discard');
    assert.deepEqual(errors, []);
    await page.close();
    await server.close();
  });

  it('exports a round’s answers and actions, and the organisation as an engagement file', async () => {
    const server = await scenario('demo');
    const ids = await demoIds(server);
    const { page, tid, errors } = await open(server, `#/org/${ids.org}`);
    await openReview(page, tid);
    await tid('export-answers-csv').click();
    await tid('round-export-path').waitFor();
    const answers = await tid('round-export-path').innerText();
    assert.match(answers, /Six-month review - answers\.csv$/);
    // The real file: the wide responses CSV, one row per respondent.
    const csv = readFileSync(answers, 'utf8').trim().split(/\r?\n/);
    assert.match(csv[0], /^respondent,role,department,/);
    assert.equal(csv.length, 1 + 16);
    await tid('export-actions-csv').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="round-export-path"]')?.textContent?.endsWith('actions.csv'));
    const exported = await server.calls('export_round');
    assert.deepEqual(exported.map((a) => a.format), ['answers_csv', 'actions_csv']);
    assert.ok(readFileSync(await tid('round-export-path').innerText(), 'utf8').length > 0);
    await tid('crumb-org').click();
    await tid('export-engagement').click();
    await tid('engagement-export-path').waitFor();
    const engagement = await tid('engagement-export-path').innerText();
    assert.match(engagement, /Northwind Energy - engagement\.cxmx$/);
    assert.equal(basename(engagement), (await server.log()).dialogs.at(-1).suggested);
    assert.ok(readFileSync(engagement, 'utf8').includes('Northwind Energy'));
    assert.deepEqual(errors, []);
    await page.close();
    await server.close();
  });

  it('refuses a damaged engagement file and opens a valid one as a new organisation', async () => {
    const files = await testFiles();
    const { page, tid, errors, server } = await open('empty');
    await tid('welcome').waitFor();
    await server.pick(files.damagedEngagement);
    await tid('import-engagement').click();
    await tid('engagement-error').waitFor();
    assert.equal(await tid('engagement-error').getAttribute('data-code'), 'damaged_engagement_file');
    assert.match(await tid('engagement-error').innerText(), /This engagement file is damaged\.[\s\S]*truncated/);
    await tid('welcome').waitFor();
    assert.deepEqual(await server.api('list_organisations', { includeArchived: true }), [], 'nothing was imported');

    await server.pick(files.engagement);
    await tid('import-engagement').click();
    // The preview first: what the file brings; nothing written until Import.
    await tid('engagement-preview-file').waitFor();
    assert.equal(await tid('engagement-preview-file').innerText(), 'Northwind Energy - engagement.cxmx');
    assert.equal((await tid('engagement-preview-org').innerText()).trim(), 'Northwind Energy');
    assert.match(await tid('engagement-preview-summary').innerText(), /^2 rounds, 30 respondents and [\d,]+ answers$/);
    assert.equal(await tid('engagement-preview-round').count(), 2);
    assert.deepEqual(await server.api('list_organisations', { includeArchived: true }), [], 'a preview writes nothing');
    // Cancel: nothing imported; then again, and Import.
    await tid('engagement-preview-cancel').click();
    await tid('engagement-preview-file').waitFor({ state: 'detached' });
    assert.deepEqual(await server.api('list_organisations', { includeArchived: true }), [], 'cancelled: nothing imported');
    await tid('import-engagement').click();
    await tid('engagement-preview-import').click();
    await tid('organisation-page').waitFor();
    assert.equal(await tid('org-title').innerText(), 'Northwind Energy');
    assert.match(await tid('engagement-imported').innerText(), /^Imported from the engagement file: 2 rounds/);
    assert.doesNotMatch(await tid('engagement-imported').innerText(), /already here/);
    // From the organisations page, a second copy gets a distinct name, and says so.
    await tid('nav-organisations').click();
    await tid('import-engagement').click();
    await tid('engagement-preview-renamed').waitFor();
    await tid('engagement-preview-import').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="org-title"]')?.textContent?.includes('(imported'));
    assert.match(await tid('engagement-imported').innerText(), /already here, so this one is named “Northwind Energy \(imported/);
    // Said once: not again when the page is opened later.
    await tid('nav-organisations').click();
    await tid('organisations-page').waitFor();
    await page.goBack();
    await tid('organisation-page').waitFor();
    assert.equal(await tid('engagement-imported').count(), 0);
    const names = (await server.api('list_organisations', { includeArchived: false })).map((o) => o.name);
    assert.equal(names.length, 2);
    assert.ok(names.includes('Northwind Energy'));
    assert.deepEqual(errors, []);
    await page.close();
  });
});

// Import and export in a real browser over the real Rust backend (the UI's development
// server): the responses CSV preview (every problem listed, import disabled; then a
// valid file previewed and imported), the round's exports, and engagement files (a
// damaged one refused, a valid one opened as a new organisation, the same file again
// merging with nothing new, a colleague's file merged with a concurrent edit, and the
// answer's history in the questionnaire after it). The open dialog
// picks the harness's test files; the save dialog saves into the scenario's folder.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { demoIds, questionIds, scenario, session, testFiles } from './harness.mjs';
import { colleagueFile } from './merge.mjs';

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
    // From the organisations page, the same file again: its organisation is here
    // already (the same one, by its id in the file, not its name), so the file would
    // merge into it, and it brings nothing new.
    await tid('nav-organisations').click();
    await tid('import-engagement').click();
    await tid('engagement-preview-nothing-new').waitFor();
    assert.match(await tid('engagement-preview-merge').innerText(), /“Northwind Energy”, which is here already/);
    assert.equal(await tid('engagement-preview-renamed').count(), 0);
    await tid('engagement-preview-import').click(); // "Import anyway"
    await tid('engagement-imported').waitFor();
    assert.equal(await tid('engagement-imported').innerText(), 'Merged the engagement file: everything in it was here already, so nothing changed.');
    // Said once: not again when the page is opened later.
    await tid('nav-organisations').click();
    await tid('organisations-page').waitFor();
    await page.goBack();
    await tid('organisation-page').waitFor();
    assert.equal(await tid('engagement-imported').count(), 0);
    assert.deepEqual(
      (await server.api('list_organisations', { includeArchived: false })).map((o) => o.name),
      ['Northwind Energy'],
    );
    assert.deepEqual(errors, []);
    await page.close();

    // Another organisation of the same name (not the file's): the file's is added with
    // its own name too, and the preview warns of the two names.
    const other = await open('empty', '#/');
    await other.server.api('create_organisation', { name: 'Northwind Energy' });
    await other.page.reload();
    await other.server.pick(files.engagement);
    await other.tid('import-engagement').click();
    await other.tid('engagement-preview-warning').waitFor();
    assert.match(await other.tid('engagement-preview-warning').innerText(), /another organisation named “Northwind Energy” is stored here already/);
    assert.equal(await other.tid('engagement-preview-merge').count(), 0);
    assert.match(await other.tid('engagement-preview-summary').innerText(), /^2 rounds, 30 respondents/);
    await other.tid('engagement-preview-import').click();
    await other.tid('engagement-imported').waitFor();
    assert.match(await other.tid('engagement-imported').innerText(), /^Imported from the engagement file: 2 rounds.*another organisation named “Northwind Energy”/);
    assert.equal((await other.server.api('list_organisations', { includeArchived: false })).length, 2);
    assert.deepEqual(other.errors, []);
    await other.page.close();
  });

  it('merges a colleague’s engagement file into the organisation here: the preview, the import, nothing new again, the answer’s history', async () => {
    // Anna's laptop and Ben's file (merge.mjs): both changed Helen Marsh's STR-1.1
    // (Ben later), Ben also her STR-1.2, and he added Ravi Patel with one answer.
    const { anna, ids, helen, file: benFile, values, q1, asked } = await colleagueFile();
    const { was, annas, bens } = values;
    const q = questionIds();
    const { page, tid, errors } = await open(anna, '#/');
    await tid('organisations-page').waitFor();
    await anna.pick(benFile);
    await tid('import-engagement').click();
    await tid('engagement-preview-merge').waitFor();
    assert.match(await tid('engagement-preview-merge').innerText(), /^Changes from Ben’s laptop to “Northwind Energy”, which is here already/);
    assert.match(await tid('engagement-preview-org').innerText(), /Northwind Energy/);
    assert.equal(await tid('engagement-preview-changes').innerText(), '1 respondent and 1 answer added; 2 answers or notes changed');
    assert.equal(await tid('engagement-preview-nothing-new').count(), 0);
    assert.equal(await tid('engagement-preview-round').count(), 1);
    const row = tid('engagement-preview-round');
    assert.match(await row.innerText(), /^Six-month review/);
    assert.equal(await row.getAttribute('data-mark'), 'merged');
    assert.equal(await tid('engagement-preview-round-status').innerText(), 'Open');
    assert.equal(await tid('engagement-preview-round-added').innerText(), '1 respondent, 1 answer');
    assert.equal(await tid('engagement-preview-round-changed').innerText(), '2 answers or notes');
    assert.equal(await tid('engagement-preview-round-deleted').innerText(), '—');
    // The concurrent edit: Ben's later change kept, Anna's in the history, and what to do.
    assert.equal(await tid('engagement-preview-concurrent-edit').count(), 1);
    const edit = tid('engagement-preview-concurrent-edit');
    assert.match(await edit.innerText(), /^Helen Marsh, STR-1\.1 in Six-month review/);
    assert.match(await tid('engagement-preview-concurrent-kept').innerText(), new RegExp(`^Kept\\s+${bens}\\s+Ben’s laptop, \\d+ \\w{3} \\d{4}, \\d\\d:\\d\\d$`, 'i'));
    assert.match(await tid('engagement-preview-concurrent-replaced').innerText(), new RegExp(`^Replaced\\s+${annas}\\s+Anna’s laptop, `, 'i'));
    assert.match(await tid('engagement-preview-concurrent').innerText(), /The most recent change is kept; the other stays in the answer’s history\. Check with your colleague/);
    assert.equal(await tid('engagement-preview-warnings').count(), 0);
    assert.equal(await tid('engagement-preview-import').innerText(), 'Import');
    assert.equal((await anna.api('round_page', { id: ids.review })).respondents.length, 16, 'a preview writes nothing');

    await tid('engagement-preview-import').click();
    await tid('engagement-imported').waitFor();
    assert.equal(await tid('org-title').innerText(), 'Northwind Energy');
    assert.match(
      await tid('engagement-imported').innerText(),
      /^Merged the engagement file into this organisation: 1 respondent and 1 answer added; 2 answers or notes changed\. 1 concurrent edit \(Helen Marsh, STR-1\.1 in Six-month review\): the most recent change was kept/,
    );
    assert.equal((await anna.api('list_organisations', { includeArchived: true })).length, 1, 'merged, not added');
    await openReview(page, tid);
    await page.locator('[data-testid^="respondent-row-"]', { hasText: 'Ravi Patel' }).waitFor();
    assert.equal(await rows(page), 17);

    // The same file again: nothing new, and Close is the main action.
    await tid('nav-organisations').click();
    await tid('import-engagement').click();
    await tid('engagement-preview-nothing-new').waitFor();
    assert.equal(await tid('engagement-preview-nothing-new').innerText(), 'Everything in this file is here already; importing changes nothing.');
    assert.equal(await tid('engagement-preview-changes').count(), 0);
    assert.equal(await tid('engagement-preview-cancel').innerText(), 'Close');
    assert.equal(await tid('engagement-preview-import').innerText(), 'Import anyway');
    assert.match(await tid('engagement-preview-cancel').getAttribute('class'), /btn-primary/);
    await tid('engagement-preview-cancel').click();
    await tid('engagement-preview-file').waitFor({ state: 'detached' });

    // The questionnaire: STR-1.1's history lists both laptops' changes, newest first.
    await page.goto(anna.page(`#/interview/${helen}`));
    await tid('question-area').waitFor();
    await tid(`jump-${q1}`).click();
    await tid('answer-history-button').waitFor();
    assert.match(await tid('answer-history-button').innerText(), /History \(\d+\)/);
    assert.equal(await tid('answer-history-button').getAttribute('aria-expanded'), 'false');
    await tid('answer-history-button').focus();
    await page.keyboard.press('Enter');
    await tid('answer-history').waitFor();
    assert.equal(await tid('answer-history-button').getAttribute('aria-expanded'), 'true');
    const versions = tid('answer-history-version');
    const texts = await versions.allInnerTexts();
    assert.ok(texts.length >= 2, texts.join(' | '));
    assert.match(texts[0], new RegExp(`^${bens} · .*Ben’s laptop, .*Current.*Changed on two laptops at once`, 's'));
    assert.equal(await versions.first().getAttribute('data-current'), 'true');
    const mine = texts.findIndex((t) => t.startsWith(`${annas} · `));
    assert.ok(mine > 0, texts.join(' | '));
    assert.match(texts[mine], /this computer, .*Changed on two laptops at once/s);
    assert.doesNotMatch(texts[mine], /Current/);
    // The keyboard still answers with the History button focused, and the history
    // follows: the new answer is the current version, by this computer.
    const count = texts.length;
    await page.keyboard.press(String((was + 3) % 5));
    await tid('question-position').filter({ hasText: 'STR-1.2' }).waitFor();
    // Answering moved on to STR-1.2 (Ben changed it too: its history is offered); back.
    await tid(`jump-${q1}`).click();
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="answer-history-button"]')?.textContent?.includes(`History (${n})`),
      count + 1,
    );
    await tid('answer-history-button').click();
    assert.match(await versions.first().innerText(), new RegExp(`^${(was + 3) % 5} · .*this computer, .*Current`, 's'));
    // A question changed only here once shows no History button.
    const q3 = asked.findIndex((yes, i) => yes && i !== q1 && q[i] !== 'STR-1.2');
    await tid(`jump-${q3}`).click();
    // Its history read (one version, by this computer): no History button.
    await page.waitForFunction(() => document.querySelector('[data-testid="question-area"]')?.getAttribute('data-history') === '1');
    assert.match(await tid('question-position').innerText(), new RegExp(`^${q[q3].replace('.', '\\.')}`));
    assert.equal(await tid('answer-history-button').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
    await anna.close();
  });
});

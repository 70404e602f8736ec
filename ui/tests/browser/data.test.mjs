// Import and export in a real browser over the fake backend: the responses CSV
// preview (every problem listed, import disabled; then a valid file previewed and
// imported), the round's exports, and engagement files (a damaged one refused, a
// valid one opened as a new organisation).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { session } from './harness.mjs';

const { open, url } = session({ before, after });

const calls = (page, command) =>
  page.evaluate((c) => window.__cxmFake.calls.filter((x) => x.command === c).map((x) => x.args), command);
const pick = (page, method, file) => page.evaluate(([m, f]) => window.__cxmFake[m](f), [method, file]);
const rows = (page) => page.locator('[data-testid^="respondent-row-"]').count();

/** The demo's open round ("Six-month review"). */
async function openRound(page, tid) {
  await page.goto(`${url()}?fake=demo#/org/1`);
  await tid('organisation-page').waitFor();
  await page.getByRole('link', { name: 'Six-month review', exact: true }).click();
  await tid('round-page').waitFor();
  await page.locator('[data-testid^="respondent-row-"]').first().waitFor();
}

describe('import and export', () => {
  it('previews a responses file: a file with problems lists each with line and column and cannot be imported', async () => {
    const { page, tid, errors } = await open('fake=demo');
    await openRound(page, tid);
    const before = await rows(page);

    await pick(page, 'pickResponsesFile', 'broken');
    await tid('import-responses').click();
    await tid('import-preview').waitFor();
    assert.equal(await tid('import-preview').getAttribute('data-state'), 'blocked');
    assert.equal(await tid('import-preview-file').innerText(), 'survey-export.csv');
    const issues = await tid('import-issue').allInnerTexts();
    assert.equal(issues.length, 3);
    assert.match(issues[0], /^Line 3, column 7 \(STR-1\.4\)\s+`5` is not an answer/);
    assert.match(issues[1], /^Line 4, column 2 \(role\)\s+unknown role `intern`/);
    assert.match(await tid('import-preview-blocked').innerText(), /cannot be imported: 3 problems/);
    assert.equal(await tid('import-preview-confirm').isDisabled(), true);
    await tid('import-preview-cancel').click();
    await tid('import-preview').waitFor({ state: 'hidden' });
    assert.equal(await rows(page), before);
    assert.deepEqual(await calls(page, 'import_responses'), []);

    // The corrected file: a preview of what will be added, then the import.
    await pick(page, 'pickResponsesFile', 'valid');
    await tid('import-responses').click();
    await tid('import-preview-respondents').waitFor();
    assert.equal(await tid('import-preview').getAttribute('data-state'), 'ready');
    assert.equal(await tid('import-preview-respondent').count(), 3);
    assert.equal(await tid('import-preview-summary').innerText(), '3 respondents with 48 answers');
    assert.match(await tid('import-preview-block-strategy').innerText(), /9 of 15\s+27/);
    assert.equal(await tid('import-issue').count(), 0);
    assert.equal(await tid('import-preview-confirm').innerText(), 'Import 3 respondents');
    await tid('import-preview-confirm').click();
    await tid('import-responses-result').waitFor();
    assert.match(await tid('import-responses-result').innerText(), /Imported 3 respondents with 48 answers from survey-export\.csv/);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid^="respondent-row-"]').length === n, before + 3);

    // The same file again: its respondents are now in the round.
    await tid('import-responses').click();
    await tid('import-issue').first().waitFor();
    assert.match(await tid('import-issue').first().innerText(), /Line 2, column 1 \(respondent\)\s+respondent `R-101` is already in this round/);
    assert.equal(await tid('import-preview-confirm').isDisabled(), true);
    await page.keyboard.press('Escape');
    await tid('import-preview').waitFor({ state: 'hidden' });
    assert.equal((await calls(page, 'discard_responses')).length, 0, 'a blocked preview has no token to discard');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('exports a round’s answers and actions, and the organisation as an engagement file', async () => {
    const { page, tid, errors } = await open('fake=demo');
    await openRound(page, tid);
    await tid('export-answers-csv').click();
    await tid('round-export-path').waitFor();
    assert.match(await tid('round-export-path').innerText(), /Six-month review - answers\.csv$/);
    await tid('export-actions-csv').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="round-export-path"]')?.textContent?.endsWith('actions.csv'));
    const exported = await calls(page, 'export_round');
    assert.deepEqual(exported.map((a) => a[1]), ['answers_csv', 'actions_csv']);
    await tid('crumb-org').click();
    await tid('export-engagement').click();
    await tid('engagement-export-path').waitFor();
    assert.match(await tid('engagement-export-path').innerText(), /Northwind Energy - engagement\.json$/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('refuses a damaged engagement file and opens a valid one as a new organisation', async () => {
    const { page, tid, errors } = await open('fake');
    await tid('welcome').waitFor();
    await pick(page, 'pickEngagementFile', 'damaged');
    await tid('import-engagement').click();
    await tid('engagement-error').waitFor();
    assert.equal(await tid('engagement-error').getAttribute('data-code'), 'damaged_engagement_file');
    assert.match(await tid('engagement-error').innerText(), /This engagement file is damaged\.[\s\S]*truncated/);
    await tid('welcome').waitFor();

    await pick(page, 'pickEngagementFile', 'valid');
    await tid('import-engagement').click();
    await tid('organisation-page').waitFor();
    assert.equal(await tid('org-title').innerText(), 'Northwind Energy');
    assert.match(await tid('engagement-imported').innerText(), /^Imported from the engagement file: \d+ rounds?/);
    assert.doesNotMatch(await tid('engagement-imported').innerText(), /already here/);
    // From the organisations page, a second copy gets a distinct name, and says so.
    await tid('nav-organisations').click();
    await tid('import-engagement').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="org-title"]')?.textContent?.includes('(imported'));
    assert.match(await tid('engagement-imported').innerText(), /already here, so this one is named “Northwind Energy \(imported/);
    // Said once: not again when the page is opened later.
    await tid('nav-organisations').click();
    await tid('organisations-page').waitFor();
    await page.goBack();
    await tid('organisation-page').waitFor();
    assert.equal(await tid('engagement-imported').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

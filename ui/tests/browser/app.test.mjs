// The UI in a real browser (Debian's Chromium) over the fake backend: the workflow a
// consultant follows, by keyboard where the app is keyboard-first.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { session } from './harness.mjs';

const { open, url } = session({ before, after });

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
    await tid('block-phase-strategy').click();
    assert.match(await tid('explain-text').innerText(), /Strategy reached the top phase/);
    await page.keyboard.press('Escape');
    await tid('explain-dialog').waitFor({ state: 'hidden' });

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

  it('compares with a chosen round, or none, and exports with that choice', async () => {
    const { page, tid, errors } = await open('fake=demo', '#/results/15');
    await tid('progress').waitFor();
    assert.equal(await tid('compare-with').inputValue(), '2');
    assert.match(await tid('progress').innerText(), /Progress since Baseline assessment/);
    assert.match(await tid('progress-phase').innerText(), /1 → 2/);
    assert.match(await tid('progress-phase-strategy').innerText(), /^1 → 2$/);
    assert.match(await tid('progress-dm-strategy').innerText(), /^\+\d\.\d\d$/);
    await tid('block-delta-culture').waitFor();
    assert.deepEqual((await calls(page, 'results')).at(-1), [15, null]);

    // No comparison: reloads with compare_with 0, the address says so, the PDF follows.
    await tid('compare-with').selectOption('none');
    await tid('no-comparison').waitFor();
    await tid('progress').waitFor({ state: 'detached' });
    assert.match(page.url(), /#\/results\/15\?compare=none$/);
    assert.deepEqual((await calls(page, 'results')).at(-1), [15, 0]);
    await tid('export-pdf').click();
    await tid('export-result').waitFor();
    assert.match(await tid('export-result').innerText(), /without a comparison/);
    assert.deepEqual((await calls(page, 'export_pdf')).at(-1), [15, 0]);

    // Back to the previous round.
    await tid('compare-with').selectOption('2');
    await tid('progress').waitFor();
    assert.match(page.url(), /#\/results\/15$/);
    await tid('export-pdf').click();
    await tid('export-result').filter({ hasText: 'Baseline assessment' }).waitFor();
    assert.deepEqual((await calls(page, 'export_pdf')).at(-1), [15, null]);

    // A first round has nothing to compare with: no picker.
    await page.evaluate(() => (location.hash = '#/results/2'));
    await tid('org-phase').waitFor();
    await tid('phase-card').waitFor();
    assert.equal(await tid('compare-with').count(), 0);
    assert.equal(await tid('progress').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('explains a figure in a dialog that Esc closes, giving focus back', async () => {
    const { page, tid, errors } = await open('fake=demo', '#/results/15');
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
    await why.click();
    assert.match(await tid('explain-title').innerText(), new RegExp(`Why ${question} is on the list`));
    assert.match(await tid('explain-text').innerText(), /Priority = \(threshold - attainment\)/);
    await page.keyboard.press('Escape');
    await tid('explain-dialog').waitFor({ state: 'hidden' });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows alignment with a hidden group, and the lowest questions of a cell', async () => {
    const { page, tid, errors } = await open('fake=demo', '#/round/15');
    await tid('round-page').waitFor();
    // Two front-line interviews fewer: 2 respondents, under the anonymity threshold.
    await page.evaluate(async () => {
      await window.__cxmFake.removeRespondent(25);
      await window.__cxmFake.removeRespondent(26);
    });
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
  });

  it('imports a model: lists each problem of a broken file, then the new version', async () => {
    const { page, tid, errors } = await open('fake=demo', '#/models');
    await tid('model-row-cx-maturity@1').waitFor();
    assert.match(await tid('model-row-cx-maturity@1').innerText(), /Built-in/);
    await tid('model-default-cx-maturity@1').waitFor();
    assert.equal(await tid('model-rounds-cx-maturity@1').innerText(), '2');

    await page.evaluate(() => window.__cxmFake.pickModelFile('broken'));
    await tid('import-model').click();
    await tid('import-error').waitFor();
    assert.equal(await tid('import-error').getAttribute('data-code'), 'invalid_model');
    const problems = tid('import-problem');
    assert.equal(await problems.count(), 2);
    assert.match(await problems.nth(0).innerText(), /^my-method\.toml:98:\s+questions\[0\]\.phase\s+phase 9 does not exist/);
    assert.match(await problems.nth(1).innerText(), /my-method\.toml:99:/);
    // Still there a while later: not a toast.
    await page.waitForTimeout(1500);
    assert.equal(await problems.count(), 2);

    // Cancelling the dialog changes nothing.
    await page.evaluate(() => window.__cxmFake.pickModelFile(null));
    await tid('import-model').click();
    await page.waitForTimeout(200);
    assert.equal(await tid('import-result').count(), 0);
    assert.equal(await page.locator('[data-testid^="model-row-"]').count(), 1);

    await page.evaluate(() => window.__cxmFake.pickModelFile('valid'));
    await tid('import-model').click();
    await tid('import-result').waitFor();
    assert.equal(await tid('import-result').getAttribute('data-kind'), 'imported');
    assert.equal(await tid('import-error').count(), 0);
    await tid('model-row-cx-maturity@2').waitFor();
    await tid('model-default-cx-maturity@2').waitFor();
    assert.equal(await tid('model-default-cx-maturity@1').count(), 0);

    // The new-round form offers both versions, the new default chosen.
    await page.evaluate(() => (location.hash = '#/org/1'));
    await tid('new-round').click();
    assert.equal(await tid('round-model').inputValue(), 'cx-maturity@2');
    assert.equal(await tid('round-model').locator('option').count(), 2);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows progress on the organisation page and compares any two rounds', async () => {
    const { page, tid, errors } = await open('fake=demo', '#/org/1');
    await tid('org-progress-phase').waitFor();
    assert.match(await tid('org-progress-phase').innerText(), /1 → 2/);
    await tid('progress-row-culture').waitFor();
    assert.match(await tid('round-model-15').innerText(), /cx-maturity@1/);
    assert.equal(await tid('round-row-15').getByTestId('provisional-mark').count(), 1);
    assert.equal(await tid('round-row-2').getByTestId('provisional-mark').count(), 0);
    assert.match(await tid('round-interviews-15').innerText(), /12 \/ 14/);
    // Either order: the later round's results, compared with the earlier one.
    await tid('compare-a').selectOption('15');
    await tid('compare-b').selectOption('2');
    await tid('compare-go').click();
    await tid('progress').waitFor();
    assert.match(page.url(), /#\/results\/15\?compare=2$/);
    assert.equal(await tid('compare-with').inputValue(), '2');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows how many respondents answered each question of an open round', async () => {
    const { page, tid, errors } = await open('fake=demo', '#/round/15');
    await tid('answered-per-question').waitFor();
    assert.match(await tid('answered-summary').innerText(), /of 60 questions answered by all 14 respondents/);
    await tid('answered-per-question').locator('summary').click();
    assert.equal(await tid('answered-0').innerText(), '13/14');
    assert.equal(await tid('answered-59').innerText(), '12/14');
    await tid('answered-block-culture').waitFor();
    assert.equal(await tid('round-phase').getByTestId('provisional-mark').count(), 1);
    assert.deepEqual(errors, []);
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

  it('settings: quotes in the board report name interviewees only when the box is ticked', async () => {
    const { page, tid, errors } = await open('fake=demo', '#/settings');
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
    assert.deepEqual(await calls(page, 'set_attribute_quotes'), [[true]]);
    // Kept: the page again, from the sidebar.
    await tid('nav-home').click();
    await tid('organisations-page').waitFor();
    await tid('nav-settings').click();
    await tid('settings-page').waitFor();
    assert.equal(await tid('attribute-quotes').isChecked(), true);
    // A refused change: the box goes back and says why.
    await page.evaluate(() => window.__cxmFake.failNext('set_attribute_quotes', { code: 'io', message: 'disk full' }));
    await tid('attribute-quotes').click();
    await tid('attribute-quotes-error').waitFor();
    assert.match(await tid('attribute-quotes-error').innerText(), /disk full/);
    assert.equal(await tid('attribute-quotes').isChecked(), true);
    // Off again.
    await tid('attribute-quotes').uncheck();
    await tid('attribute-quotes-saved').waitFor();
    assert.deepEqual(await calls(page, 'set_attribute_quotes'), [[true], [false], [false]]);
    assert.equal(await tid('attribute-quotes').isChecked(), false);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('settings: saves the branding, shows a logo error, backs up and restores after a confirmation', async () => {
    const { page, tid, errors } = await open('fake=demo', '#/settings');
    await tid('settings-page').waitFor();
    assert.equal(await tid('threshold-mastery').innerText(), '0.75');
    assert.equal(await tid('threshold-anonymity').innerText(), '3');
    assert.equal(await tid('threshold-flag').innerText(), '0.25');
    assert.match(await tid('db-path').innerText(), /cxm\.sqlite$/);
    assert.equal(await page.locator('[data-testid^="backup-row-"]').count(), 1, 'the demo has one automatic backup');

    // Branding: the prepared-by text, saved by Enter; a logo error, then a logo.
    await tid('prepared-by-input').fill('Jane Doe, Acme Consulting');
    await tid('prepared-by-input').press('Enter');
    await tid('prepared-by-saved').waitFor();
    assert.deepEqual(await calls(page, 'set_prepared_by'), [['Jane Doe, Acme Consulting']]);
    await page.evaluate(() => window.__cxmFake.pickLogoFile('not-image'));
    await tid('choose-logo').click();
    assert.match(await tid('logo-error').innerText(), /logo\.txt is not a PNG or JPEG image/);
    await tid('no-logo').waitFor();
    await page.evaluate(() => window.__cxmFake.pickLogoFile('valid'));
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
    assert.deepEqual((await calls(page, 'set_backup_options')).at(-1), [false, 5]);

    // Back up now: listed first.
    await tid('back-up-now').click();
    await tid('backup-result').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="backup-row-"]').length === 2);
    const rows = await page.locator('[data-testid^="backup-row-"]').all();
    const made = (await rows[0].getAttribute('data-testid')).slice('backup-row-'.length);
    assert.match(made, /-manual\.sqlite$/);
    assert.match(await rows[0].innerText(), /Backed up by hand/);

    // A change, then the restore of that backup: cancel first, then confirm.
    await page.evaluate(() => window.__cxmFake.renameOrganisation(1, 'Changed Energy'));
    await tid(`restore-backup-${made}`).click();
    await tid('confirm-dialog').waitFor();
    const title = await page.locator('#dialog-title').innerText();
    assert.match(title, /^Restore the backup of \d{1,2} \w{3} 2026, \d{2}:\d{2}\?$/);
    assert.equal(await tid('restore-file').innerText(), made);
    await tid('confirm-cancel').click();
    assert.deepEqual(await calls(page, 'restore_backup'), []);
    await tid(`restore-backup-${made}`).click();
    await tid('confirm-ok').click();
    await tid('restore-result').waitFor();
    assert.deepEqual(await calls(page, 'restore_backup'), [[made]]);
    assert.equal(await page.locator('[data-testid^="backup-row-"]').count(), 3, 'plus the safety backup');
    assert.match(await page.locator('[data-testid^="backup-row-"]').first().innerText(), /Before a restore/);
    // The sidebar shows the restored name; so does the organisations page.
    await page.waitForFunction(() => document.querySelector('[data-testid="nav-org-1"]')?.textContent.includes('Northwind Energy'));
    await tid('restore-go-home').click();
    await tid('organisations-page').waitFor();
    assert.equal((await tid('org-link-1').innerText()).trim(), 'Northwind Energy');
    // Reached from the sidebar.
    await tid('nav-settings').click();
    await tid('settings-page').waitFor();
    assert.equal(await tid('prepared-by-input').inputValue(), 'Jane Doe, Acme Consulting');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('says when the database is damaged, points to the backups, and clears once a good backup is restored', async () => {
    const { page, tid, errors } = await open('fake=demo&health=damaged', '#/');
    await tid('organisations-page').waitFor();
    // The check runs a little after start; nothing is said before it has.
    await tid('health-damage').waitFor();
    const text = await tid('health-damage').innerText();
    assert.match(text, /The database is damaged\./);
    assert.match(text, /restore the last good backup/);
    assert.equal(await tid('health-damage').getAttribute('role'), 'alert');
    // Shown on every screen of the shell.
    await tid('nav-org-1').click();
    await tid('organisation-page').waitFor();
    await tid('health-damage').waitFor();
    await tid('health-restore').click();
    await tid('settings-page').waitFor();
    const first = page.locator('[data-testid^="restore-backup-"]').first();
    await first.click();
    await tid('confirm-ok').click();
    await tid('restore-result').waitFor();
    assert.match(await tid('restore-result').innerText(), /The damaged database was kept apart as .* it is not offered as a backup/);
    await tid('health-damage').waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('says when the database is open read-only', async () => {
    const { page, tid, errors } = await open('fake=demo&health=read-only', '#/');
    await tid('health-read-only').waitFor();
    assert.match(await tid('health-read-only').innerText(), /Read-only\. The database is open read-only \(its folder/);
    assert.equal(await tid('health-damage').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

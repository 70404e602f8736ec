// The team folder (issue 14) in a real browser over the real Rust backend: two
// laptops, each a development server over its own database, exchanging through one
// temporary folder. Settings → Team folder (this computer's name, the folder chosen in
// the folder dialog, sharing, Sync now and its summary: what came in and from whom, a
// concurrent edit, a damaged file skipped), the organisation page's "Where the data
// came from", and the passes the app runs by itself (at start and every three
// minutes, under Playwright's fake clock): the notice, the screen loaded again, a
// folder gone.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { session } from './harness.mjs';
import { concurrentChanges, corruptFile, folderFiles, organisationUuid, twoLaptops } from './team.mjs';

const ui = session({ before, after });

const THREE_MINUTES = 180_000;

/** Waits until `check()` (async) is true, polling; fails after about five seconds. */
async function until(check, what) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('team folder', () => {
  it('Settings: names this computer, chooses the folder, shares, and Sync now writes and reads the files', async () => {
    const t = await twoLaptops({ ui: true });
    const { page, tid, errors, server } = await ui.open(t.anna, '#/settings');
    await tid('settings-team').waitFor();
    assert.equal(await tid('no-team-folder').innerText(), 'No team folder. Choose one to work with colleagues.');
    assert.equal(await tid('sync-now').count(), 0);

    // This computer's name, as colleagues will see it.
    await tid('installation-name-input').fill('Anna’s laptop');
    await tid('save-installation-name').click();
    await tid('installation-name-saved').waitFor();
    assert.equal((await server.api('team_folder')).installation_name, 'Anna’s laptop');

    // The folder dialog cancelled: nothing changes.
    await server.control('folder-dialog', { path: null });
    await tid('choose-team-folder').click();
    await until(async () => (await server.log()).dialogs.length === 1, 'the folder dialog');
    assert.deepEqual((await server.log()).dialogs[0], { kind: 'folder', title: 'Choose the team folder', answer: null });
    await page.waitForFunction(() => !document.querySelector('[data-testid="choose-team-folder"]:disabled'));
    assert.equal(await tid('no-team-folder').count(), 1);
    assert.equal((await server.api('team_folder')).folder, null);

    // A folder chosen: it is the team folder, and a first pass runs (nothing there yet).
    await server.control('folder-dialog', { path: t.folder });
    await tid('choose-team-folder').click();
    await tid('team-folder-path').waitFor();
    assert.equal(await tid('team-folder-path').innerText(), t.folder);
    await tid('sync-summary').waitFor();
    assert.equal(await tid('sync-counts').innerText(), '0 files read, 0 written');
    assert.equal(await tid('sync-nothing').innerText(), 'Nothing new came in.');
    assert.deepEqual(folderFiles(t.folder), []);

    // Sharing Northwind Energy, then Sync now: this computer's file for it.
    const share = tid(`team-share-${t.ids.org}`);
    assert.equal(await share.isChecked(), false);
    await share.check();
    await page.waitForFunction(() => !document.querySelector('[data-testid^="team-share-"]:disabled'));
    assert.deepEqual((await server.api('team_folder')).shared, [{ id: t.ids.org, name: 'Northwind Energy' }]);
    await tid('sync-now').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="sync-counts"]')?.textContent === '0 files read, 1 written');
    const me = (await server.api('team_folder')).installation_id;
    const files = folderFiles(t.folder);
    assert.equal(files.length, 1);
    const uuid = organisationUuid(join(t.folder, files[0]));
    assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(files[0], `${uuid}.${me}.cxmx`);
    assert.equal(statSync(join(t.folder, files[0])).mode & 0o777, 0o600);

    // Ben joins the folder; the same answer is changed on both laptops, Ben adds a
    // respondent; a damaged copy lands in the folder too.
    await t.joinBen();
    const c = await concurrentChanges(t);
    corruptFile(t.folder);
    await tid('sync-now').click();
    await tid('sync-received-row').waitFor();
    assert.equal(await tid('sync-counts').innerText(), '2 files read, 1 written');
    assert.deepEqual(await tid('sync-received-row').allInnerTexts(), [
      'Ben’s laptop: Northwind Energy — 1 respondent added, 2 answers added, 1 answer changed',
    ]);
    // The concurrent edit, once: the most recent (Ben's) kept, Anna's replaced.
    assert.equal(await tid('sync-concurrent-row').count(), 1);
    const cells = await tid('sync-concurrent-row').locator('td').allInnerTexts();
    assert.deepEqual(cells.slice(0, 3), ['Six-month review', c.name, c.question]);
    assert.match(cells[3], new RegExp(`^${c.benValue}\\s+Ben’s laptop, \\d+ \\w{3} \\d{4}, \\d\\d:\\d\\d$`));
    assert.match(cells[4], new RegExp(`^${c.annaValue}\\s+Anna’s laptop, \\d+ \\w{3} \\d{4}, \\d\\d:\\d\\d$`));
    assert.match(await tid('sync-concurrent').innerText(), /The most recent change was kept; the other is in the answer's history/);
    // The damaged file: skipped, with why.
    assert.match(await tid('sync-skipped').innerText(), /1 file skipped: nothing of it was merged/);
    assert.deepEqual(await tid('sync-skipped-row').allInnerTexts(), [
      'Northwind copy.cxmx: the engagement file is damaged (not valid JSON at line 1, column 62); nothing was imported',
    ]);
    // Sync now in Settings says it here: no notice over the page.
    assert.equal(await tid('sync-notice').count(), 0);
    // What came in is stored: Ben's respondent is in the round.
    const round = await server.api('round_page', { id: t.ids.review });
    assert.ok(round.respondents.some((r) => r.name === c.added));

    // Stopping: the folder is forgotten, its files stay.
    await tid('stop-team-folder').click();
    await tid('no-team-folder').waitFor();
    assert.equal(await tid('sync-now').count(), 0);
    assert.equal((await server.api('team_folder')).folder, null);
    assert.equal(folderFiles(t.folder).length, 3);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('the organisation page says where its data came from', async () => {
    const t = await twoLaptops();
    await concurrentChanges(t);
    await t.anna.api('sync_now');
    const { page, tid, errors } = await ui.open(t.anna, `#/org/${t.ids.org}`);
    await tid('org-sources').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="org-source-row"]').length === 2);
    const rows = tid('org-source-row');
    // This computer first: Anna changed one answer less than the demo holds (Ben's
    // edit of the same answer won), Ben added a respondent with two answers.
    assert.equal(await rows.nth(0).getByTestId('org-source-name').innerText(), 'Anna’s laptop');
    assert.equal(await rows.nth(0).getByTestId('org-source-this').innerText(), 'this computer');
    assert.equal(await rows.nth(0).getByTestId('org-source-counts').innerText(), '30 respondents, 1,592 answers');
    assert.equal(await rows.nth(0).getByTestId('org-source-exchange').innerText(), '—');
    assert.equal(await rows.nth(1).getByTestId('org-source-name').innerText(), 'Ben’s laptop');
    assert.equal(await rows.nth(1).getByTestId('org-source-this').count(), 0);
    assert.equal(await rows.nth(1).getByTestId('org-source-counts').innerText(), '1 respondent, 3 answers');
    assert.match(
      await rows.nth(1).getByTestId('org-source-exchange').innerText(),
      /^Last file merged \d+ \w{3} \d{4}, \d\d:\d\d \(written \d+ \w{3} \d{4}, \d\d:\d\d\)$/,
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('syncs by itself at start and every three minutes: a notice, the screen loaded again, a folder gone', async () => {
    const t = await twoLaptops();
    const server = t.anna;
    const page = await ui.chrome().newPage({ viewport: { width: 1280, height: 800 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.setDefaultTimeout(10_000);
    const tid = (id) => page.getByTestId(id);
    await page.clock.install();
    await page.goto(server.page(`#/round/${t.ids.review}`));
    await tid('round-page').waitFor();
    await page.locator('[data-testid^="respondent-row-"]').first().waitFor();
    // The pass at start (a team folder is set; the set-up ran one through the API):
    // Ben's file holds nothing new.
    const passes = async () => (await server.calls('sync_now')).length;
    await until(async () => (await passes()) === 2, 'the pass at start');
    assert.equal(await tid('sync-notice').count(), 0);
    const rowsBefore = await page.locator('[data-testid^="respondent-row-"]').count();

    // Ben changes things; three minutes later the next pass brings them: the round on
    // screen loads again, and the notice says what came in.
    const c = await concurrentChanges(t);
    await page.clock.fastForward(THREE_MINUTES);
    await tid('sync-notice').waitFor();
    assert.equal(await passes(), 3);
    assert.equal(await tid('sync-notice').getAttribute('data-kind'), 'info');
    assert.equal(
      await tid('sync-notice-text').innerText(),
      'Synced: 1 respondent and 3 answers from Ben’s laptop; 1 concurrent edit — see Settings → Team folder',
    );
    await page.locator('[data-testid^="respondent-row-"]', { hasText: c.added }).waitFor();
    assert.equal(await page.locator('[data-testid^="respondent-row-"]').count(), rowsBefore + 1);

    // The notice's link: Settings, at the team folder card, with the summary.
    await tid('sync-notice-settings').click();
    await tid('settings-team').waitFor();
    await tid('sync-concurrent-row').waitFor();
    assert.equal(await tid('sync-notice').count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'settings-team');

    // The folder gone (a drive disconnected): a quiet warning, once; Settings says why.
    renameSync(t.folder, `${t.folder}-away`);
    await page.goto(server.page(`#/org/${t.ids.org}`));
    await page.reload();
    await tid('organisation-page').waitFor();
    // The app started again: its pass at start failed.
    await tid('sync-notice').waitFor();
    assert.equal(await tid('sync-notice').getAttribute('data-kind'), 'warn');
    assert.match(await tid('sync-notice-text').innerText(), /^The team folder could not be synchronised: the team folder .* cannot be found/);
    await tid('sync-notice-close').click();
    await page.clock.fastForward(THREE_MINUTES);
    await until(async () => (await passes()) === 5, 'the pass three minutes later');
    await page.waitForTimeout(200); // its answer reaches the page
    assert.equal(await tid('sync-notice').count(), 0, 'the same failure is not announced again');
    await page.goto(server.page('#/settings'));
    await tid('sync-error').waitFor();
    assert.match(await tid('sync-error').innerText(), /The last sync failed\. the team folder .* cannot be found/);
    // Back again: Sync now works, the error is gone.
    renameSync(`${t.folder}-away`, t.folder);
    assert.ok(existsSync(t.folder));
    await tid('sync-now').click();
    await tid('sync-error').waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('leaves a screen the user is typing in alone, and offers to show the changes', async () => {
    const t = await twoLaptops();
    const server = t.anna;
    const page = await ui.chrome().newPage({ viewport: { width: 1280, height: 800 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.setDefaultTimeout(10_000);
    const tid = (id) => page.getByTestId(id);
    await page.clock.install();
    await page.goto(server.page(`#/round/${t.ids.review}`));
    await page.locator('[data-testid^="respondent-row-"]').first().waitFor();
    const passes = async () => (await server.calls('sync_now')).length;
    await until(async () => (await passes()) === 2, 'the pass at start');
    const rowsBefore = await page.locator('[data-testid^="respondent-row-"]').count();

    // Half-way through adding a respondent when Ben's changes come in.
    await tid('add-respondent').click();
    await tid('respondent-name').fill('Half typed');
    const c = await concurrentChanges(t);
    await page.clock.fastForward(THREE_MINUTES);
    await tid('sync-notice-refresh').waitFor();
    assert.equal(await tid('respondent-name').inputValue(), 'Half typed');
    assert.equal(await page.locator('[data-testid^="respondent-row-"]').count(), rowsBefore);
    await tid('cancel-respondent').click();
    await tid('sync-notice-refresh').click();
    await page.locator('[data-testid^="respondent-row-"]', { hasText: c.added }).waitFor();
    assert.equal(await tid('sync-notice-refresh').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

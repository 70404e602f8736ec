// Screenshots of every screen at 1280×800 (and some at 1024×700) over the real Rust
// backend — the UI's development server on fresh temporary databases with the demo —
// into ui/screenshots/.
// Run: npm run screenshots
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { browser, closeServers, demoIds, scenario, testFiles } from './harness.mjs';

const out = fileURLToPath(new URL('../../screenshots/', import.meta.url));
await mkdir(out, { recursive: true });
const files = await testFiles();
const b = await browser();
const page = await b.newPage({ viewport: { width: 1280, height: 800 } });
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
// A command that fails answers 4xx, which Chromium logs as a failed resource: those are
// checked against the servers' logs at the end instead.
page.on('console', (m) => m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()) && errors.push(m.text()));
page.setDefaultTimeout(15_000);

const used = [];
/** A fresh development server in `which` scenario, with the demo's ids. `open`: the
 *  six-month review opened again, as during the interviews (the demo closes it). */
async function fresh(which = 'demo', { open = false } = {}) {
  const server = await scenario(which);
  used.push({ server, which });
  const ids = which === 'demo' ? await demoIds(server) : {};
  if (open) {
    await server.api('reopen_round', { id: ids.review });
    const { respondents } = await server.api('round_page', { id: ids.review });
    ids.unfinished = respondents.find((r) => !r.complete).id;
  }
  return { server, ids };
}

async function shot(name, opts = {}) {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForTimeout(150);
  await page.screenshot({ path: `${out}${name}.png`, ...opts });
  console.log(`${out}${name}.png`);
}
const tid = (id) => page.getByTestId(id);
// The app scrolls inside <main>: a "full page" shot grows the viewport to fit it.
async function fullShot(name) {
  const h = await page.evaluate(() => {
    const m = [...document.querySelectorAll('main')].pop();
    return m ? m.scrollHeight : document.body.scrollHeight;
  });
  await page.setViewportSize({ width: 1280, height: Math.max(800, h) });
  await shot(name);
  await page.setViewportSize({ width: 1280, height: 800 });
}
const go = (hash) => page.evaluate((h) => (location.hash = h), hash);

{
  const { server } = await fresh('unopenable');
  await page.goto(server.page());
  await tid('start-error').waitFor();
  await shot('01-start-error');
}
{
  const { server } = await fresh('empty');
  await page.goto(server.page());
  await tid('welcome').waitFor();
  await shot('02-welcome');
}

// The demo, its six-month review open again: the interviews under way.
const main = await fresh('demo', { open: true });
{
  const { server, ids } = main;
  await page.goto(server.page('#/'));
  await tid('organisations-page').waitFor();
  await tid('org-name-input').fill('Acme Insurance');
  await tid('create-org').click();
  await tid('organisation-page').waitFor();
  await go('#/');
  await tid(`org-row-${ids.org}`).waitFor();
  await shot('03-organisations');

  await go(`#/org/${ids.org}`);
  await tid('trend-chart').waitFor();
  await tid('org-progress-phase').waitFor();
  await shot('04-organisation');
  await fullShot('04b-organisation-full');
  await tid('new-round').click();
  await tid('round-title').fill('Annual review 2027');
  await shot('05-new-round');
  await tid('cancel-round').click();
  await tid(`delete-round-${ids.baseline}`).click();
  await shot('06-delete-round-dialog');
  await tid('confirm-cancel').click();

  await go(`#/round/${ids.review}`);
  await tid('round-page').waitFor();
  await tid('answered-per-question').waitFor();
  await shot('07-round');
  await tid('add-respondent').click();
  await tid('respondent-name').fill('Jordan Ellis');
  await shot('08-add-respondent');

  await page.goto(server.page(`#/round/${ids.baseline}`));
  await tid('round-closed-banner').waitFor();
  await shot('09-round-closed');

  await go(`#/interview/${ids.unfinished}`);
  await tid('question-text').waitFor();
  await shot('10-questionnaire');
  await page.keyboard.press('3');
  await page.keyboard.press('e');
  await page.keyboard.type('Saw the monthly board pack with the customer page.');
  await page.waitForTimeout(600);
  await shot('11-questionnaire-note');
  await page.keyboard.press('Escape');
  await tid('question-list').click();
  await shot('12-question-list');
  await page.keyboard.press('Escape');

  const { respondents: earlier } = await server.api('round_page', { id: ids.baseline });
  await page.goto(server.page(`#/interview/${earlier[2].id}`));
  await tid('readonly-banner').waitFor();
  await shot('13-questionnaire-closed');

  // A front-line interview: only the questions the group is asked, then the others
  // shown (one of them open) with the phases, and the full scale key.
  const { respondents: now } = await server.api('round_page', { id: ids.review });
  const frontLine = now.find((r) => r.role_group === 'front-line');
  await page.goto(server.page(`#/interview/${frontLine.id}`));
  await tid('question-text').waitFor();
  await shot('13b-questionnaire-front-line');
  const { asked } = await server.api('questionnaire', { respondent: frontLine.id });
  await tid('show-unasked').check();
  await tid('show-phases').check();
  await tid(`jump-${asked.indexOf(false)}`).click();
  await tid('not-asked-tag').waitFor();
  await shot('13c-questionnaire-not-asked-phases');
  await tid('show-phases').uncheck(); // remembered in this browser: off again
  await tid('show-unasked').uncheck();
  await tid('question-area').focus();
  await page.keyboard.press('?');
  await tid('scale-key-dialog').waitFor();
  await shot('13d-questionnaire-scale-key');
  await page.keyboard.press('Escape');

  await go(`#/results/${ids.review}`);
  await tid('org-phase').waitFor();
  await tid('progress').waitFor();
  await shot('14-results');
  await fullShot('14b-results-full');
  await tid('block-culture').click();
  await tid('export-pdf').click();
  await tid('export-result').waitFor();
  await page.evaluate(() => document.querySelector('main')?.scrollTo(0, 0));
  await shot('15-results-block-export');
}

// Empty states: a new organisation, its first round, a respondent with no answers.
{
  const { server } = await fresh('demo');
  await page.goto(server.page('#/'));
  await tid('org-name-input').fill('Acme Insurance');
  await tid('create-org').click();
  await tid('rounds-empty').waitFor();
  await shot('17-organisation-empty');
  await tid('new-round').click();
  await tid('round-title').fill('Baseline assessment');
  await tid('create-round').click();
  await tid('respondents-empty').waitFor();
  await shot('18-round-empty');
  await tid('results-link').click();
  await tid('results-empty').waitFor();
  await shot('19-results-empty');
}

// Progress between rounds, explanations, alignment: four front-line interviews fewer
// in the review, so that group falls under the anonymity threshold and is hidden.
{
  const { server, ids } = await fresh('demo', { open: true });
  const { respondents } = await server.api('round_page', { id: ids.review });
  for (const r of respondents.filter((x) => x.role_group === 'front-line').slice(0, 4)) {
    await server.api('remove_respondent', { id: r.id });
  }
  await page.goto(server.page(`#/results/${ids.review}`));
  await tid('progress').waitFor();
  await tid('progress').scrollIntoViewIfNeeded();
  await shot('20-results-progress');
  await tid('block-phase-culture').click();
  await tid('explain-dialog').waitFor();
  await shot('21-explain-block-phase');
  await page.keyboard.press('Escape');
  await tid('block-maturity-strategy').click();
  await shot('21b-explain-block-maturity');
  await page.keyboard.press('Escape');
  await tid('phase-card').click();
  await shot('22-explain-organisation');
  await page.keyboard.press('Escape');
  await tid('alignment').scrollIntoViewIfNeeded();
  await tid('align-cell-culture-executive').click();
  await tid('alignment').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await shot('23-alignment-hidden-group');
  await tid('align-gap-culture').click();
  await shot('23b-explain-gap');
  await page.keyboard.press('Escape');
  await page.locator('[data-testid^="action-why-"]').first().click();
  await shot('24-explain-action');
  await page.keyboard.press('Escape');
  await tid('compare-with').selectOption('none');
  await tid('no-comparison').waitFor();
  await page.evaluate(() => document.querySelector('main')?.scrollTo(0, 0));
  await shot('25-results-no-comparison');
  await fullShot('25b-results-full');
}

{
  const { server, ids } = main;
  await page.goto(server.page(`#/org/${ids.org}`));
  await tid('org-progress-phase').waitFor();
  await tid('org-progress').scrollIntoViewIfNeeded();
  await shot('26-organisation-progress');

  await go(`#/round/${ids.review}`);
  await tid('answered-per-question').waitFor();
  await tid('answered-per-question').locator('summary').click();
  await tid('answered-per-question').scrollIntoViewIfNeeded();
  await shot('27-round-answered');

  // Model versions (both built-in versions listed): a broken file, then version 3.
  await go('#/models');
  await tid('models-page').waitFor();
  await shot('28-models');
  await server.pick(files.brokenModel);
  await tid('import-model').click();
  await tid('import-error').waitFor();
  await shot('29-models-import-error');
  await server.pick(files.modelV3);
  await tid('import-model').click();
  await tid('import-result').waitFor();
  await shot('30-models-imported');
  // A round on the new version, compared with the earlier rounds on their shared questions.
  await go(`#/org/${ids.org}`);
  await tid('new-round').click();
  await tid('round-title').fill('Annual review 2027');
  await shot('31-new-round-models');
  await tid('round-date').fill('2027-03-01');
  await tid('round-copy').selectOption({ index: 1 });
  await tid('create-round').click();
  await tid('round-page').waitFor();
  const first = (await page.locator('[data-testid^="start-interview-"]').first().getAttribute('data-testid')).slice('start-interview-'.length);
  await server.api('set_answer', { respondent: Number(first), questionId: 'STR-1.1', value: '3' });
  await tid('results-link').click();
  await tid('basis-note').waitFor();
  await shot('32-results-basis-note');

  // Settings: branding with a logo, a backup, the restore confirmation.
  await go('#/settings');
  await tid('settings-page').waitFor();
  await tid('prepared-by-input').fill('Jane Doe, Acme Consulting');
  await tid('save-prepared-by').click();
  await server.pick(files.logo);
  await tid('choose-logo').click();
  await tid('logo-preview').waitFor();
  await tid('back-up-now').click();
  await tid('backup-result').waitFor();
  await fullShot('33-settings');
  await server.pick(files.notImage);
  await tid('choose-logo').click();
  await tid('logo-error').waitFor();
  await shot('34-settings-logo-error');
  await page.locator('[data-testid^="restore-backup-"]').last().click();
  await tid('confirm-dialog').waitFor();
  await shot('35-settings-restore-dialog');
  await page.keyboard.press('Escape');
}

// The narrower window.
{
  const { server, ids } = await fresh('demo', { open: true });
  await page.setViewportSize({ width: 1024, height: 700 });
  for (const [name, hash, wait] of [
    ['40-narrow-results', `#/results/${ids.review}`, 'progress'],
    ['41-narrow-organisation', `#/org/${ids.org}`, 'org-progress-phase'],
    ['42-narrow-models', '#/models', 'models-page'],
    ['43-narrow-round', `#/round/${ids.review}`, 'answered-per-question'],
    ['47-narrow-settings', '#/settings', 'settings-backups'],
  ]) {
    await page.goto(server.page(hash));
    await tid(wait).waitFor();
    await shot(name);
  }
  await page.goto(server.page(`#/results/${ids.review}`));
  await tid('alignment').waitFor();
  await tid('align-cell-voice-of-customer-front-line').click();
  await tid('alignment').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await shot('44-narrow-alignment');
  await tid('progress').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await shot('45-narrow-progress');
  await tid('block-phase-strategy').click();
  await shot('46-narrow-explain');
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 1280, height: 800 });
}

// Every command slow: the loading state.
{
  const { server } = await fresh('empty');
  await server.control('latency', { ms: 100_000 });
  await page.goto(server.page('#/'));
  await page.waitForTimeout(300);
  await shot('16-loading');
}

await b.close();
// The commands that failed: only those the screenshots provoke (and, without a
// database, every command but app_status).
const expected = { import_model: 'invalid_model', choose_logo: 'invalid' };
const failed = [];
for (const { server, which } of used) {
  if (server.child.exitCode !== null) continue;
  const { calls } = await server.log().catch(() => ({ calls: [] }));
  for (const c of calls) {
    if (!c.error || expected[c.command] === c.error || (which === 'unopenable' && c.error === 'no_database')) continue;
    failed.push(`${which}: ${c.command} ${JSON.stringify(c.args)}: ${c.error}`);
  }
}
await closeServers();
if (failed.length) errors.push(`Commands that failed:\n${failed.join('\n')}`);
if (errors.length) {
  console.error('Page errors:\n' + errors.join('\n'));
  process.exit(1);
}

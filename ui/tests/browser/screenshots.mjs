// Screenshots of every screen at 1280×800 with the fake backend, into ui/screenshots/.
// Run: npm run screenshots
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { serve, browser } from './harness.mjs';

const out = fileURLToPath(new URL('../../screenshots/', import.meta.url));
await mkdir(out, { recursive: true });
const server = await serve();
const b = await browser();
const page = await b.newPage({ viewport: { width: 1280, height: 800 } });
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

async function shot(name, opts = {}) {
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

await page.goto(`${server.url}?fake=error`);
await tid('start-error').waitFor();
await shot('01-start-error');

await page.goto(`${server.url}?fake`);
await tid('welcome').waitFor();
await shot('02-welcome');

await page.goto(`${server.url}?fake=demo#/`);
await tid('organisations-page').waitFor();
await tid('org-name-input').fill('Acme Insurance');
await tid('create-org').click();
await tid('organisation-page').waitFor();
await page.goto(`${server.url}?fake=demo#/`);
await page.reload();
await tid('org-row-1').waitFor();
await shot('03-organisations');

await page.goto(`${server.url}?fake=demo#/org/1`);
await page.reload();
await tid('trend-chart').waitFor();
await shot('04-organisation');
await fullShot('04b-organisation-full');
await tid('new-round').click();
await tid('round-title').fill('Annual review 2027');
await shot('05-new-round');
await tid('cancel-round').click();
await tid('delete-round-2').click();
await shot('06-delete-round-dialog');
await tid('confirm-cancel').click();

await page.goto(`${server.url}?fake=demo#/round/15`);
await page.reload();
await tid('round-page').waitFor();
await shot('07-round');
await tid('add-respondent').click();
await tid('respondent-name').fill('Jordan Ellis');
await shot('08-add-respondent');

await page.goto(`${server.url}?fake=demo#/round/2`);
await page.reload();
await tid('round-closed-banner').waitFor();
await shot('09-round-closed');

await page.goto(`${server.url}?fake=demo#/interview/29`);
await page.reload();
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

await page.goto(`${server.url}?fake=demo#/interview/3`);
await page.reload();
await tid('readonly-banner').waitFor();
await shot('13-questionnaire-closed');

await page.goto(`${server.url}?fake=demo#/results/15`);
await page.reload();
await tid('org-phase').waitFor();
await shot('14-results');
await fullShot('14b-results-full');
await tid('block-culture').click();
await tid('export-pdf').click();
await tid('export-result').waitFor();
await page.evaluate(() => document.querySelector('main')?.scrollTo(0, 0));
await shot('15-results-block-export');

// Empty states: a new organisation, its first round, a respondent with no answers.
await page.goto(`${server.url}?fake=demo#/`);
await page.reload();
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

// Issue 5: progress between rounds, explanations, alignment, model versions, rounds
// in progress.
const go = (hash) => page.evaluate((h) => (location.hash = h), hash);
const fake = (fn, ...args) => page.evaluate(([f, a]) => window.__cxmFake[f](...a), [fn, args]);
await page.goto(`${server.url}?fake=demo#/results/15`);
await page.reload();
await tid('progress').waitFor();
// Two front-line respondents fewer in the open round: the group falls under the
// anonymity threshold and is hidden.
await fake('removeRespondent', 25);
await fake('removeRespondent', 26);
await go('#/round/15');
await tid('round-page').waitFor();
await go('#/results/15');
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
await tid('action-why-' + (await page.locator('[data-testid^="action-why-"]').first().getAttribute('data-testid')).slice(11)).click();
await shot('24-explain-action');
await page.keyboard.press('Escape');
await tid('compare-with').selectOption('none');
await tid('no-comparison').waitFor();
await page.evaluate(() => document.querySelector('main')?.scrollTo(0, 0));
await shot('25-results-no-comparison');
await fullShot('25b-results-full');

await page.goto(`${server.url}?fake=demo#/org/1`);
await page.reload();
await tid('org-progress-phase').waitFor();
await tid('org-progress').scrollIntoViewIfNeeded();
await shot('26-organisation-progress');

await page.goto(`${server.url}?fake=demo#/round/15`);
await page.reload();
await tid('answered-per-question').waitFor();
await tid('answered-per-question').locator('summary').click();
await tid('answered-per-question').scrollIntoViewIfNeeded();
await shot('27-round-answered');

await page.goto(`${server.url}?fake=demo#/models`);
await page.reload();
await tid('models-page').waitFor();
await shot('28-models');
await fake('pickModelFile', 'broken');
await tid('import-model').click();
await tid('import-error').waitFor();
await shot('29-models-import-error');
await fake('pickModelFile', 'valid');
await tid('import-model').click();
await tid('import-result').waitFor();
await shot('30-models-imported');
// A round on the new version, compared with the earlier rounds on their shared questions.
await go('#/org/1');
await tid('new-round').click();
await tid('round-title').fill('Annual review 2027');
await shot('31-new-round-models');
await tid('round-date').fill('2027-03-01');
await tid('round-copy').selectOption({ index: 1 });
await tid('create-round').click();
await tid('round-page').waitFor();
const firstRespondent = (await page.locator('[data-testid^="start-interview-"]').first().getAttribute('data-testid')).slice(16);
await fake('setAnswer', Number(firstRespondent), 'STR-1.1', '3');
await tid('results-link').click();
await tid('basis-note').waitFor();
await shot('32-results-basis-note');

// Settings: branding with a logo, a backup, the restore confirmation.
await page.goto(`${server.url}?fake=demo#/settings`);
await page.reload();
await tid('settings-page').waitFor();
await tid('prepared-by-input').fill('Jane Doe, Acme Consulting');
await tid('save-prepared-by').click();
await tid('choose-logo').click();
await tid('logo-preview').waitFor();
await tid('back-up-now').click();
await tid('backup-result').waitFor();
await fullShot('33-settings');
await fake('pickLogoFile', 'not-image');
await tid('choose-logo').click();
await tid('logo-error').waitFor();
await shot('34-settings-logo-error');
await page.locator('[data-testid^="restore-backup-"]').last().click();
await tid('confirm-dialog').waitFor();
await shot('35-settings-restore-dialog');
await page.keyboard.press('Escape');

// The narrower window.
await page.setViewportSize({ width: 1024, height: 700 });
for (const [name, hash, wait] of [
  ['40-narrow-results', '#/results/15', 'progress'],
  ['41-narrow-organisation', '#/org/1', 'org-progress-phase'],
  ['42-narrow-models', '#/models', 'models-page'],
  ['43-narrow-round', '#/round/15', 'answered-per-question'],
  ['47-narrow-settings', '#/settings', 'settings-backups'],
]) {
  await page.goto(`${server.url}?fake=demo${hash}`);
  await page.reload();
  await tid(wait).waitFor();
  await shot(name);
}
await page.goto(`${server.url}?fake=demo#/results/15`);
await page.reload();
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

await page.goto(`${server.url}?fake&latency=100000#/`);
await page.waitForTimeout(300);
await shot('16-loading');

await b.close();
await server.close();
if (errors.length) {
  console.error('Page errors:\n' + errors.join('\n'));
  process.exit(1);
}

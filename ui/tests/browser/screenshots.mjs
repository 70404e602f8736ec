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

await page.goto(`${server.url}?fake&latency=100000#/`);
await page.waitForTimeout(300);
await shot('16-loading');

await b.close();
await server.close();
if (errors.length) {
  console.error('Page errors:\n' + errors.join('\n'));
  process.exit(1);
}

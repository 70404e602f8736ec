// Accessibility of every screen, in Chromium over the real Rust backend (the UI's
// development server, the demo data): axe-core's WCAG 2.1 A and AA rules (labels,
// names, contrast, landmarks, ARIA), no horizontal scrolling at the smallest window
// (1024×700), and a visible focus on every element the Tab key reaches.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { demoIds, readOnlyUnavailable, scenario, session, testFiles } from './harness.mjs';
import { concurrentChanges, corruptFile, twoLaptops } from './team.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

// The scenarios: a harness scenario, or `review`: the demo with its six-month review
// open again (the demo closes both rounds), where interviews and the answered-per-
// question view live; `team`: that demo shared in a team folder with a second laptop
// whose changes (a concurrent edit among them) and a damaged file wait there, so the
// pass at start brings them.
async function serverFor(which) {
  if (which === 'team') {
    const t = await twoLaptops();
    await concurrentChanges(t);
    corruptFile(t.folder);
    await t.ben.close();
    return { server: t.anna, ids: t.ids };
  }
  const server = await scenario(which === 'review' ? 'demo' : which);
  const ids = ['demo', 'review', 'damaged', 'read-only'].includes(which) ? await demoIds(server) : {};
  if (which === 'review') {
    await server.api('reopen_round', { id: ids.review });
    const { respondents } = await server.api('round_page', { id: ids.review });
    ids.unfinished = respondents.find((r) => !r.complete).id;
  }
  return { server, ids };
}

// Each screen: its scenario, its address (from the demo's ids, found through the API)
// and an element that says its data is on the page.
const SCREENS = [
  ['welcome', 'empty', () => '#/', 'welcome'],
  ['start error', 'unopenable', () => '#/', 'start-error'],
  ['organisations', 'demo', () => '#/', 'organisations-page'],
  ['organisation', 'demo', (ids) => `#/org/${ids.org}`, 'org-progress-phase'],
  ['round', 'review', (ids) => `#/round/${ids.review}`, 'answered-per-question'],
  ['questionnaire', 'review', (ids) => `#/interview/${ids.unfinished}`, 'question-area'],
  ['results', 'demo', (ids) => `#/results/${ids.review}`, 'progress'],
  ['models', 'demo', () => '#/models', 'models-page'],
  ['settings', 'demo', () => '#/settings', 'settings-page'],
  ['about', 'demo', () => '#/about', 'about-details'],
];

// States opened from a screen (dialogs, forms, error panels): checked with the same rules.
const STATES = [
  ['new round form', 'demo', (ids) => `#/org/${ids.org}`, 'org-progress-phase', async (p) => {
    await p.getByTestId('new-round').click();
    await p.getByTestId('new-round-form').waitFor();
  }],
  ['delete confirmation', 'demo', (ids) => `#/org/${ids.org}`, 'org-progress-phase', async (p) => {
    await p.locator('[data-testid^="delete-round-"]').first().click();
    await p.getByTestId('confirm-dialog').waitFor();
  }],
  ['respondent form', 'review', (ids) => `#/round/${ids.review}`, 'answered-per-question', async (p) => {
    await p.getByTestId('add-respondent').click();
    await p.getByTestId('respondent-form').waitFor();
  }],
  ['explanation dialog', 'demo', (ids) => `#/results/${ids.review}`, 'progress', async (p) => {
    await p.getByTestId('org-phase').click();
    await p.getByTestId('explain-dialog').waitFor();
  }],
  ['responses preview with problems', 'review', (ids) => `#/round/${ids.review}`, 'answered-per-question', async (p, server) => {
    await server.pick((await testFiles()).brokenSurvey);
    await p.getByTestId('import-responses').click();
    await p.getByTestId('import-issues').waitFor();
  }],
  ['responses preview ready', 'review', (ids) => `#/round/${ids.review}`, 'answered-per-question', async (p, server) => {
    await server.pick((await testFiles()).survey);
    await p.getByTestId('import-responses').click();
    await p.getByTestId('import-preview-respondents').waitFor();
  }],
  ['engagement preview', 'demo', () => '#/', 'organisations-page', async (p, server) => {
    await server.pick((await testFiles()).engagement);
    await p.getByTestId('import-engagement').click();
    await p.getByTestId('engagement-preview-rounds').waitFor();
  }],
  ['refused engagement file', 'demo', () => '#/', 'organisations-page', async (p, server) => {
    await server.pick((await testFiles()).damagedEngagement);
    await p.getByTestId('import-engagement').click();
    await p.getByTestId('engagement-error').waitFor();
  }],
  ['restore confirmation', 'demo', () => '#/settings', 'settings-page', async (p) => {
    await p.getByTestId('back-up-now').click();
    await p.locator('[data-testid^="restore-backup-"]').first().click();
    await p.getByTestId('confirm-dialog').waitFor();
  }],
  ['team folder after a sync, with the notice', 'team', () => '#/settings', 'settings-team', async (p) => {
    await p.getByTestId('sync-concurrent-row').waitFor();
    await p.getByTestId('sync-skipped-row').waitFor();
    await p.getByTestId('sync-notice').waitFor();
  }],
  ['where the data came from', 'team', (ids) => `#/org/${ids.org}`, 'org-progress-phase', async (p) => {
    await p.waitForFunction(() => document.querySelectorAll('[data-testid="org-source-row"]').length === 2);
  }],
  ['damaged database banner', 'damaged', () => '#/', 'organisations-page', async (p) => {
    await p.getByTestId('health-damage').waitFor();
  }],
  ['read-only database banner', 'read-only', (ids) => `#/org/${ids.org}`, 'org-progress-phase', async (p) => {
    await p.getByTestId('health-read-only').waitFor();
  }],
  ['model import problems', 'demo', () => '#/models', 'models-page', async (p, server) => {
    await server.pick((await testFiles()).brokenModel);
    await p.getByTestId('import-model').click();
    await p.getByTestId('import-error').waitFor();
  }],
];

const ui = session({ before, after });

/** A fresh server in the scenario, and a page at the screen, its data shown. The
 *  page's content security policy is bypassed so that axe-core can be injected. */
async function open(which, hash, ready, viewport) {
  const { server, ids } = await serverFor(which);
  const { page } = await ui.open(server, hash(ids), viewport, { bypassCSP: true });
  page.on('close', () => void server.close());
  await page.getByTestId(ready).first().waitFor();
  await page.waitForTimeout(150); // let charts and transitions settle
  return { page, server };
}

async function axe(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1).join(' ')}`),
    }));
  });
}

describe('accessibility', () => {
  for (const [name, which, hash, ready, act] of STATES) {
    const skip = which === 'read-only' ? (readOnlyUnavailable() ?? false) : false;
    it(`${name}: WCAG 2.1 AA rules pass, at 1024×700 too`, { skip }, async () => {
      for (const viewport of [{ width: 1280, height: 800 }, { width: 1024, height: 700 }]) {
        const { page, server } = await open(which, hash, ready, viewport);
        await act(page, server);
        await page.waitForTimeout(150);
        const violations = await axe(page);
        assert.deepEqual(violations, [], `${viewport.width}px: ${JSON.stringify(violations, null, 2)}`);
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(scroll <= 0, `${viewport.width}px: scrolls ${scroll}px sideways`);
        await page.close();
      }
    });
  }

  for (const [name, which, hash, ready] of SCREENS) {
    it(`${name}: WCAG 2.1 AA rules pass`, async () => {
      const { page } = await open(which, hash, ready, { width: 1280, height: 800 });
      const violations = await axe(page);
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
      await page.close();
    });

    it(`${name}: fits 1024×700 without horizontal scrolling`, async () => {
      const { page } = await open(which, hash, ready, { width: 1024, height: 700 });
      const overflow = await page.evaluate(() => {
        const wide = [];
        for (const el of document.querySelectorAll('body *')) {
          const r = el.getBoundingClientRect();
          if (r.width > 0 && r.right > document.documentElement.clientWidth + 1 && !el.closest('.table-wrap, [data-scroll-x]')) {
            wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(r.right)}`);
          }
        }
        return { scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth, wide: wide.slice(0, 5) };
      });
      assert.ok(overflow.scroll <= 0, JSON.stringify(overflow));
      await page.close();
    });

    it(`${name}: every element Tab reaches shows its focus`, async () => {
      const { page } = await open(which, hash, ready, { width: 1280, height: 800 });
      const missing = [];
      const seen = new Set();
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        const f = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          const s = getComputedStyle(el);
          const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
          const id = el.getAttribute('data-testid') ?? `${el.tagName.toLowerCase()}:${(el.textContent ?? '').trim().slice(0, 30)}`;
          return { id, ring };
        });
        if (!f) continue;
        if (seen.has(f.id)) break;
        seen.add(f.id);
        if (!f.ring) missing.push(f.id);
      }
      assert.ok(seen.size > 0, 'Tab reaches something');
      assert.deepEqual(missing, [], `no visible focus on: ${missing.join(', ')}`);
      await page.close();
    });
  }
});

// Issue 14, merging a colleague's engagement file (merge.mjs): the merge preview with
// its concurrent edit, and the questionnaire's history of that answer after the
// import, at both window sizes; the history panel leaves the question on screen at
// 1024×700.
describe('accessibility: a colleague’s engagement file merged', () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 1024, height: 700 }]) {
    it(`merge preview and answer history: WCAG 2.1 AA rules pass at ${viewport.width}×${viewport.height}`, async () => {
      const { colleagueFile } = await import('./merge.mjs');
      const { anna, helen, file, q1 } = await colleagueFile();
      const { page } = await ui.open(anna, '#/', viewport, { bypassCSP: true });
      page.on('close', () => void anna.close());
      const tid = (id) => page.getByTestId(id);
      const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      await tid('organisations-page').waitFor();
      await anna.pick(file);
      await tid('import-engagement').click();
      await tid('engagement-preview-concurrent-edit').waitFor();
      await page.waitForTimeout(150);
      let violations = await axe(page);
      assert.deepEqual(violations, [], `merge preview: ${JSON.stringify(violations, null, 2)}`);
      assert.ok((await sideways()) <= 0, 'the merge preview scrolls sideways');

      await tid('engagement-preview-import').click();
      await tid('engagement-imported').waitFor();
      await page.goto(anna.page(`#/interview/${helen}`));
      await tid('question-area').waitFor();
      await tid(`jump-${q1}`).click();
      await tid('answer-history-button').click();
      await tid('answer-history-version').first().waitFor();
      await page.waitForTimeout(150);
      violations = await axe(page);
      assert.deepEqual(violations, [], `answer history: ${JSON.stringify(violations, null, 2)}`);
      assert.ok((await sideways()) <= 0, 'the questionnaire scrolls sideways');
      // The question stays in view with its history open.
      const box = await tid('question-text').boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= viewport.height, JSON.stringify(box));
      await page.close();
    });
  }
});

// Issue 15, the plan: the plan screen (the demo's plan; a field open with the backend's
// refusal under it; the add form), and the results' plan parts (the projected phase,
// the plan carried into the six-month review, "Add to plan" and "In plan"), at both
// window sizes; no sideways scrolling; a visible focus on every element Tab reaches.
describe('accessibility: the plan', () => {
  const planStates = [
    ['plan screen', (ids) => `#/org/${ids.org}/plan`, 'plan-items', async () => {}],
    ['plan screen, by block, every status', (ids) => `#/org/${ids.org}/plan`, 'plan-items', async (p) => {
      await p.getByTestId('plan-group-block').click();
      await p.getByTestId('plan-filter-dropped').click();
    }],
    ['plan field refused', (ids) => `#/org/${ids.org}/plan`, 'plan-items', async (p) => {
      await p.locator('[data-field="due"]').first().click();
      await p.locator('[data-testid^="plan-input-due-"]').fill('2027-13');
      await p.keyboard.press('Enter');
      await p.locator('[data-testid^="plan-error-"]').waitFor();
    }],
    ['plan add form', (ids) => `#/org/${ids.org}/plan`, 'plan-items', async (p) => {
      await p.getByTestId('plan-add').click();
      await p.getByTestId('plan-add-form').waitFor();
    }],
    ['results: projected phase and carry-over', (ids) => `#/results/${ids.review}`, 'projection', async (p) => {
      await p.getByTestId('carry-over').waitFor();
      await p.getByTestId('actions').scrollIntoViewIfNeeded();
    }],
  ];
  for (const [name, hash, ready, act] of planStates) {
    it(`${name}: WCAG 2.1 AA rules pass, no sideways scrolling, at 1280×800 and 1024×700`, async () => {
      for (const viewport of [{ width: 1280, height: 800 }, { width: 1024, height: 700 }]) {
        const { page } = await open('demo', hash, ready, viewport);
        await act(page);
        await page.waitForTimeout(150);
        const violations = await axe(page);
        assert.deepEqual(violations, [], `${viewport.width}px: ${JSON.stringify(violations, null, 2)}`);
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(scroll <= 0, `${viewport.width}px: scrolls ${scroll}px sideways`);
        await page.close();
      }
    });
  }

  it('plan screen: every element Tab reaches shows its focus, the field editors too', async () => {
    const { page } = await open('demo', (ids) => `#/org/${ids.org}/plan`, 'plan-items', { width: 1280, height: 800 });
    const missing = [];
    const seen = new Set();
    const ring = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const s = getComputedStyle(el);
        const shown = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
        return { id: el.getAttribute('data-testid') ?? el.tagName.toLowerCase(), shown };
      });
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const f = await ring();
      if (!f) continue;
      if (seen.has(f.id)) break;
      seen.add(f.id);
      if (!f.shown) missing.push(f.id);
    }
    assert.ok([...seen].some((id) => id.startsWith('plan-title-')), `Tab reaches the fields: ${[...seen]}`);
    // An editor opened with Enter, then the next one with Tab.
    await page.locator('[data-field="title"]').first().focus();
    await page.keyboard.press('Enter');
    for (let i = 0; i < 5; i++) {
      const f = await ring();
      if (!f.shown) missing.push(f.id);
      await page.keyboard.press('Tab');
    }
    assert.deepEqual(missing, [], `no visible focus on: ${missing.join(', ')}`);
    await page.close();
  });
});

// Issue 15, the plan as a file: the preview of a PMO's updates, ready (each change
// before → after) and with problems (each with its cell, Import disabled), at both
// window sizes; no sideways scrolling.
describe('accessibility: plan updates preview', () => {
  const previews = [
    ['plan updates preview ready', (csv) => {
      csv.rows[0][csv.col('Owner')] = 'Grace Okafor';
      csv.rows[1][csv.col('Status')] = 'Done';
    }, 'plan-updates-changes'],
    ['plan updates preview with problems', (csv, unknownId) => {
      csv.rows[0][csv.col('Owner')] = 'Grace Okafor';
      csv.rows[2][csv.col('Item id')] = unknownId;
    }, 'plan-updates-problems'],
  ];
  for (const [name, edit, ready] of previews) {
    it(`${name}: WCAG 2.1 AA rules pass, no sideways scrolling, at 1280×800 and 1024×700`, async () => {
      const files = await import('./plan-files.mjs');
      for (const viewport of [{ width: 1280, height: 800 }, { width: 1024, height: 700 }]) {
        const { page, server } = await open('demo', (ids) => `#/org/${ids.org}/plan`, 'plan-items', viewport);
        const ids = await demoIds(server);
        const csv = await files.exportedPlanCsv(server, ids.org);
        edit(csv, files.UNKNOWN_ID);
        await server.pick(files.writePlanCsv(csv));
        await page.getByTestId('plan-import').click();
        await page.getByTestId(ready).waitFor();
        await page.waitForTimeout(150);
        const violations = await axe(page);
        assert.deepEqual(violations, [], `${viewport.width}px: ${JSON.stringify(violations, null, 2)}`);
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(scroll <= 0, `${viewport.width}px: scrolls ${scroll}px sideways`);
        await page.close();
      }
    });
  }
});

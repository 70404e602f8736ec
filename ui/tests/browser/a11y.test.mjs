// Accessibility of every screen, in Chromium over the fake backend (the demo data):
// axe-core's WCAG 2.1 A and AA rules (labels, names, contrast, landmarks, ARIA), no
// horizontal scrolling at the smallest window (1024×700), and a visible focus on every
// element the Tab key reaches.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { session } from './harness.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

// Each screen: its address and an element that says its data is on the page.
const SCREENS = [
  ['welcome', 'fake', '#/', 'welcome'],
  ['start error', 'fake=error', '#/', 'start-error'],
  ['organisations', 'fake=demo', '#/', 'organisations-page'],
  ['organisation', 'fake=demo', '#/org/1', 'org-progress-phase'],
  ['round', 'fake=demo', '#/round/15', 'answered-per-question'],
  ['questionnaire', 'fake=demo', '#/interview/29', 'question-area'],
  ['results', 'fake=demo', '#/results/15', 'progress'],
  ['models', 'fake=demo', '#/models', 'models-page'],
  ['settings', 'fake=demo', '#/settings', 'settings-page'],
];

// States opened from a screen (dialogs, forms, error panels): checked with the same rules.
const STATES = [
  ['new round form', 'fake=demo', '#/org/1', 'org-progress-phase', async (p) => {
    await p.getByTestId('new-round').click();
    await p.getByTestId('new-round-form').waitFor();
  }],
  ['delete confirmation', 'fake=demo', '#/org/1', 'org-progress-phase', async (p) => {
    await p.locator('[data-testid^="delete-round-"]').first().click();
    await p.getByTestId('confirm-dialog').waitFor();
  }],
  ['respondent form', 'fake=demo', '#/round/15', 'answered-per-question', async (p) => {
    await p.getByTestId('add-respondent').click();
    await p.getByTestId('respondent-form').waitFor();
  }],
  ['explanation dialog', 'fake=demo', '#/results/15', 'progress', async (p) => {
    await p.getByTestId('org-phase').click();
    await p.getByTestId('explain-dialog').waitFor();
  }],
  ['responses preview with problems', 'fake=demo', '#/round/15', 'answered-per-question', async (p) => {
    await p.evaluate(() => window.__cxmFake.pickResponsesFile('broken'));
    await p.getByTestId('import-responses').click();
    await p.getByTestId('import-issues').waitFor();
  }],
  ['responses preview ready', 'fake=demo', '#/round/15', 'answered-per-question', async (p) => {
    await p.evaluate(() => window.__cxmFake.pickResponsesFile('valid'));
    await p.getByTestId('import-responses').click();
    await p.getByTestId('import-preview-respondents').waitFor();
  }],
  ['refused engagement file', 'fake=demo', '#/', 'organisations-page', async (p) => {
    await p.evaluate(() => window.__cxmFake.pickEngagementFile('damaged'));
    await p.getByTestId('import-engagement').click();
    await p.getByTestId('engagement-error').waitFor();
  }],
  ['restore confirmation', 'fake=demo', '#/settings', 'settings-page', async (p) => {
    await p.getByTestId('back-up-now').click();
    await p.locator('[data-testid^="restore-backup-"]').first().click();
    await p.getByTestId('confirm-dialog').waitFor();
  }],
  ['damaged database banner', 'fake=demo&health=damaged', '#/', 'organisations-page', async (p) => {
    await p.getByTestId('health-damage').waitFor();
  }],
  ['read-only database banner', 'fake=demo&health=read-only', '#/org/1', 'org-progress-phase', async (p) => {
    await p.getByTestId('health-read-only').waitFor();
  }],
  ['model import problems', 'fake=demo', '#/models', 'models-page', async (p) => {
    await p.evaluate(() => window.__cxmFake.pickModelFile('broken'));
    await p.getByTestId('import-model').click();
    await p.getByTestId('import-error').waitFor();
  }],
];

const ui = session({ before, after });

async function open(query, hash, ready, viewport) {
  const { page } = await ui.open(query, hash, viewport);
  await page.getByTestId(ready).first().waitFor();
  await page.waitForTimeout(150); // let charts and transitions settle
  return page;
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
  for (const [name, query, hash, ready, act] of STATES) {
    it(`${name}: WCAG 2.1 AA rules pass, at 1024×700 too`, async () => {
      for (const viewport of [{ width: 1280, height: 800 }, { width: 1024, height: 700 }]) {
        const page = await open(query, hash, ready, viewport);
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

  for (const [name, query, hash, ready] of SCREENS) {
    it(`${name}: WCAG 2.1 AA rules pass`, async () => {
      const page = await open(query, hash, ready, { width: 1280, height: 800 });
      const violations = await axe(page);
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
      await page.close();
    });

    it(`${name}: fits 1024×700 without horizontal scrolling`, async () => {
      const page = await open(query, hash, ready, { width: 1024, height: 700 });
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
      const page = await open(query, hash, ready, { width: 1280, height: 800 });
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

// The plan (issue 15) in Chromium over the real Rust backend (the UI's development
// server, the demo data): actions added to the plan from the results (one by one and
// every tier-1 action, with the outcome), "In plan", the projected phase; the plan
// screen edited from the keyboard (owner, due, status), a due the backend refuses
// shown in its words, filters and grouping, an overdue item marked in words, delete,
// an item added by hand, the empty state; the carry-over into the next round; the plan
// exported for the PMO (Excel, CSV) and their updates imported through the preview; an
// item added by hand to an organisation without rounds.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { demoIds, session } from './harness.mjs';
import { UNKNOWN_ID, exportedPlanCsv, readPlanCsv, writePlanCsv } from './plan-files.mjs';

const ui = session({ before, after });

const NONE = { kind: 'none' };

/** The backend's refusal of a call, as the UI would show it. */
async function refusal(server, command, args) {
  try {
    await server.api(command, args);
  } catch (e) {
    return e.apiError.message;
  }
  throw new Error(`${command} was not refused`);
}

/** The tier-1 questions of a round's actions not in the plan yet, and those in it. */
async function tier1(server, round) {
  const r = await server.api('results', { round, compareWith: NONE });
  const all = r.actions.filter((a) => a.tier === 1).map((a) => a.question);
  return { all, open: all.filter((q) => !r.plan.planned_questions.includes(q)), plan: r.plan };
}

describe('the plan from the results', () => {
  it('adds two actions, then every tier-1 action, with the outcome; "In plan" links to the plan; the projected phase', async () => {
    const { page, server, errors, tid } = await ui.open('demo');
    const ids = await demoIds(server);
    const before = await tier1(server, ids.baseline);
    assert.ok(before.open.length >= 4, `tier-1 actions to plan: ${before.open}`);
    await page.goto(server.page(`#/results/${ids.baseline}`));
    await tid('actions').waitFor();
    if (before.plan.items === 0) {
      await tid('plan-invite').waitFor();
      assert.equal(await tid('projection').count(), 0);
    }

    const [q1, q2] = before.open;
    for (const q of [q1, q2]) {
      await tid(`action-plan-${q}`).click();
      await tid(`action-in-plan-${q}`).waitFor();
      assert.equal(await tid(`action-in-plan-${q}`).getAttribute('href'), `#/org/${ids.org}/plan`);
      assert.equal(await tid(`action-plan-${q}`).count(), 0);
    }
    assert.deepEqual((await server.calls('plan_actions')).slice(-2), [
      { round: ids.baseline, questions: [q1] },
      { round: ids.baseline, questions: [q2] },
    ]);

    // Every tier-1 question is sent; the backend skips those in the plan already.
    await tid('plan-tier-1').click();
    const already = before.all.length - before.open.length + 2;
    const added = before.all.length - already;
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="plan-tier-1-result"]')?.textContent?.trim() === text,
      `${added} added; ${already} already in the plan`,
    );
    assert.deepEqual((await server.calls('plan_actions')).at(-1), { round: ids.baseline, questions: before.all });
    for (const q of before.all) await tid(`action-in-plan-${q}`).waitFor();
    assert.match(await tid('plan-tier-1').textContent(), /Every tier-1 action is in the plan/);
    assert.equal(await tid('plan-tier-1').isDisabled(), true);

    // The projected phase, as the backend explains it.
    const now = await server.api('results', { round: ids.baseline, compareWith: NONE });
    await tid('projection').waitFor();
    assert.equal(await tid('plan-invite').count(), 0);
    assert.equal((await tid('projected-phase').textContent()).trim(), String(now.plan.projection.projected_phase));
    assert.match(await tid('projection-headline').textContent(), new RegExp(`If every planned item reaches the threshold: phase ${now.plan.projection.projected_phase}`));
    assert.equal((await tid('projection-explanation').textContent()).trim(), now.plan.projection.explanation);
    for (const b of now.plan.projection.blocks) {
      const state = await tid(`projection-block-${b.block}`).getAttribute('data-state');
      assert.equal(state, b.holds_back ? 'holds-back' : b.reached_projected > b.reached_now ? 'lifted' : 'unchanged', b.block);
    }
    assert.equal(await tid('results-open-plan').getAttribute('href'), `#/org/${ids.org}/plan`);

    // The organisation page's entry point says how many items the plan has.
    await page.goto(server.page(`#/org/${ids.org}`));
    await tid('open-plan-count').waitFor();
    assert.equal((await tid('open-plan-count').textContent()).trim(), String(now.plan.items));
    await tid('open-plan').click();
    await tid('plan-items').waitFor();
    // Dropped items are hidden until their status is chosen.
    const shown = (await server.api('plan', { organisation: ids.org })).items.filter((i) => i.status !== 'dropped');
    assert.equal(await page.locator('tr[data-testid^="plan-item-"]').count(), shown.length);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe('the plan screen', () => {
  it('edits owner, due and status from the keyboard; a refused due shows the backend’s words; overdue in words', async () => {
    const { page, server, errors, tid } = await ui.open('demo');
    const ids = await demoIds(server);
    const { open } = await tier1(server, ids.baseline);
    await server.api('plan_actions', { round: ids.baseline, questions: open.slice(0, 3) });
    const items = (await server.api('plan', { organisation: ids.org })).items.filter((i) => open.slice(0, 3).includes(i.question));
    const [a, b] = items;
    await page.goto(server.page(`#/org/${ids.org}/plan`));
    await tid(`plan-item-${a.id}`).waitFor();
    const calls = (await server.calls('set_plan_field')).length;

    // Enter opens the title; Tab moves field by field (unchanged fields send nothing).
    await tid(`plan-title-${a.id}`).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.activeElement?.getAttribute('data-testid') === `plan-input-title-${id}`, a.id);
    await page.keyboard.press('Tab'); // notes
    await page.keyboard.press('Tab'); // owner
    await page.waitForFunction((id) => document.activeElement?.getAttribute('data-testid') === `plan-input-owner-${id}`, a.id);
    await page.keyboard.type('Priya Shah');
    await page.keyboard.press('Tab'); // due: the hint is on screen
    await page.waitForFunction((id) => document.activeElement?.getAttribute('data-testid') === `plan-input-due-${id}`, a.id);
    assert.match(await tid(`plan-item-${a.id}`).textContent(), /2027-Q1 or 2027-03-31/);
    await page.keyboard.type('2020-Q1'); // long past: overdue
    await page.keyboard.press('Tab'); // effort
    await page.waitForFunction((id) => document.activeElement?.getAttribute('data-testid') === `plan-input-effort-${id}`, a.id);
    await page.keyboard.press('Tab'); // status
    await page.waitForFunction((id) => document.activeElement?.getAttribute('data-testid') === `plan-input-status-${id}`, a.id);
    await page.keyboard.type('In progress');
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.activeElement?.getAttribute('data-testid') === `plan-status-${id}`, a.id);
    assert.match(await tid(`plan-status-${a.id}`).textContent(), /In progress/);

    const sent = (await server.calls('set_plan_field')).slice(calls);
    assert.deepEqual(sent, [
      { item: a.id, field: 'owner', value: 'Priya Shah' },
      { item: a.id, field: 'due', value: '2020-Q1' },
      { item: a.id, field: 'status', value: 'in_progress' },
    ]);
    const after = (await server.api('plan', { organisation: ids.org })).items.find((i) => i.id === a.id);
    assert.equal(after.owner, 'Priya Shah');
    assert.equal(after.due, '2020-Q1');
    assert.equal(after.status, 'in_progress');

    // Overdue, in words; its quarter first in the timeline, "No due date" last.
    assert.equal(after.overdue, true);
    assert.equal((await tid(`plan-overdue-${a.id}`).textContent()).trim(), 'Overdue');
    assert.equal(await tid(`plan-item-${a.id}`).getAttribute('data-overdue'), 'true');
    assert.equal(await tid(`plan-overdue-${b.id}`).count(), 0);
    await tid('plan-overdue-count').waitFor();
    const groups = await page.locator('tbody[data-testid^="plan-group-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    assert.equal(groups[0], 'plan-group-2020-Q1');
    assert.equal(groups.at(-1), 'plan-group-none');
    assert.equal((await tid('plan-group-2020-Q1').getByTestId('plan-group-title').textContent()).trim(), 'Q1 2020');

    // A due the backend refuses: its message under the field, the editor stays; Esc cancels.
    const expected = await refusal(server, 'set_plan_field', { item: b.id, field: 'due', value: '2027-13' });
    await tid(`plan-due-${b.id}`).click();
    await tid(`plan-input-due-${b.id}`).fill('2027-13');
    await page.keyboard.press('Enter');
    await tid(`plan-error-${b.id}`).waitFor();
    assert.equal((await tid(`plan-error-${b.id}`).textContent()).trim(), expected);
    assert.equal(await tid(`plan-input-due-${b.id}`).isVisible(), true);
    await page.keyboard.press('Escape');
    await tid(`plan-due-${b.id}`).waitFor();
    assert.equal(await tid(`plan-error-${b.id}`).count(), 0);
    assert.equal((await server.api('plan', { organisation: ids.org })).items.find((i) => i.id === b.id).due, b.due);

    // ↓ on a field's button: the same field of the next row.
    await tid(`plan-owner-${a.id}`).focus();
    await page.keyboard.press('ArrowDown');
    const below = await page.evaluate(() => document.activeElement?.getAttribute('data-field'));
    assert.equal(below, 'owner');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('filters by status and owner, groups by block, hides dropped items, deletes, adds an item by hand', async () => {
    const { page, server, errors, tid } = await ui.open('demo');
    const ids = await demoIds(server);
    const { open } = await tier1(server, ids.baseline);
    await server.api('plan_actions', { round: ids.baseline, questions: open.slice(0, 3) });
    const all = (await server.api('plan', { organisation: ids.org })).items;
    const [a, b, c] = all.filter((i) => open.slice(0, 3).includes(i.question));
    await server.api('set_plan_field', { item: a.id, field: 'owner', value: 'Tom Becker' });
    await page.goto(server.page(`#/org/${ids.org}/plan`));
    await tid(`plan-item-${a.id}`).waitFor();
    const visible = all.filter((i) => i.status !== 'dropped').length;
    const rows = () => page.locator('tr[data-testid^="plan-item-"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-testid').slice(10))));

    // Owner.
    await tid('plan-filter-owner').selectOption('Tom Becker');
    assert.deepEqual(await rows(), [a.id]);
    await tid('plan-filter-owner').selectOption({ label: 'No owner yet' });
    assert.ok(!(await rows()).includes(a.id));
    await tid('plan-filter-owner').selectOption('');
    assert.equal((await rows()).length, visible);

    // Status: drop c with the status select (the mouse picks, it saves at once); dropped
    // items are hidden until their chip is chosen.
    await tid(`plan-status-${c.id}`).click();
    await tid(`plan-input-status-${c.id}`).selectOption('dropped');
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => !document.querySelector(`[data-testid="plan-item-${id}"]`), c.id);
    await tid('plan-hidden').waitFor();
    assert.equal(await tid('plan-filter-dropped').getAttribute('aria-pressed'), 'false');
    await tid('plan-filter-dropped').click();
    await tid(`plan-item-${c.id}`).waitFor();
    assert.equal(await tid(`plan-item-${c.id}`).getAttribute('data-status'), 'dropped');
    // Only dropped ones: c among them; then none at all.
    for (const s of ['planned', 'in_progress', 'done']) await tid(`plan-filter-${s}`).click();
    assert.ok((await rows()).includes(c.id));
    assert.ok(!(await rows()).includes(a.id));
    await tid('plan-filter-dropped').click();
    await tid('plan-filtered-empty').waitFor();
    await tid('plan-show-all').click(); // every status, dropped ones too
    assert.equal((await rows()).length, all.length);

    // By block: one group per block, the blocks' names.
    await tid('plan-group-block').click();
    assert.equal(await tid('plan-items').getAttribute('data-grouping'), 'block');
    const blocks = [...new Set(all.map((i) => i.block))];
    for (const block of blocks) {
      const name = all.find((i) => i.block === block).block_name;
      assert.equal((await tid(`plan-group-${block}`).getByTestId('plan-group-title').textContent()).trim(), name);
    }
    await tid('plan-group-quarter').click();
    assert.equal(await tid('plan-items').getAttribute('data-grouping'), 'quarter');

    // Delete, after the confirmation.
    await tid(`plan-delete-${b.id}`).click();
    await tid('confirm-dialog').waitFor();
    assert.match(await tid('confirm-dialog').textContent(), new RegExp(b.title.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await tid('confirm-ok').click();
    await page.waitForFunction((id) => !document.querySelector(`[data-testid="plan-item-${id}"]`), b.id);
    assert.ok(!(await server.api('plan', { organisation: ids.org })).items.some((i) => i.id === b.id));

    // By hand: an empty title refused in the backend's words, then a free item.
    await tid('plan-add').click();
    await tid('plan-add-form').waitFor();
    const block = (await server.api('round_page', { id: ids.review })).model.blocks[1];
    await tid('plan-new-block').selectOption(block.id);
    const empty = await refusal(server, 'add_plan_item', {
      organisation: ids.org,
      input: { title: '', block: block.id, question: null, owner: null, due: null, effort: null, status: null, notes: null },
    });
    await tid('plan-add-save').click();
    await tid('plan-add-error').waitFor();
    assert.equal((await tid('plan-add-error').textContent()).trim(), empty);
    await tid('plan-new-title').fill('Publish the complaint handling promise');
    await tid('plan-new-owner').fill('Board');
    await tid('plan-new-due').fill('2030-Q2');
    await tid('plan-new-effort').selectOption('S');
    await tid('plan-add-save').click();
    await tid('plan-add-form').waitFor({ state: 'detached' });
    const made = (await server.api('plan', { organisation: ids.org })).items.find((i) => i.title === 'Publish the complaint handling promise');
    assert.deepEqual(
      { block: made.block, question: made.question, owner: made.owner, due: made.due, effort: made.effort, status: made.status },
      { block: block.id, question: null, owner: 'Board', due: '2030-Q2', effort: 'S', status: 'planned' },
    );
    await tid(`plan-item-${made.id}`).waitFor();
    assert.match(await tid(`plan-item-${made.id}`).textContent(), /Free item/);
    await tid('plan-group-2030-Q2').waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('an organisation with no plan explains how items get there', async () => {
    const { page, server, errors, tid } = await ui.open('demo');
    const org = await server.api('create_organisation', { name: 'Harbour Mutual' });
    await page.goto(server.page(`#/org/${org}`));
    await tid('open-plan-count').waitFor();
    assert.equal((await tid('open-plan-count').textContent()).trim(), '0');
    await tid('open-plan').click();
    await tid('plan-empty').waitFor();
    assert.match(await tid('plan-empty').textContent(), /Add to plan/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe('the plan carried into the next round', () => {
  it('shows the summary, each item then → now with its flag in words, and what moved without a plan item', async () => {
    const { page, server, errors, tid } = await ui.open('demo');
    const ids = await demoIds(server);
    const { open } = await tier1(server, ids.baseline);
    await server.api('plan_actions', { round: ids.baseline, questions: open.slice(0, 4) });
    for (const i of (await server.api('plan', { organisation: ids.org })).items.filter((x) => open.slice(0, 4).includes(x.question)).slice(0, 3)) {
      await server.api('set_plan_field', { item: i.id, field: 'status', value: 'done' });
    }
    const r = await server.api('results', { round: ids.review, compareWith: { kind: 'previous' } });
    assert.ok(r.plan.carry_over, 'the review carries the baseline plan');
    await page.goto(server.page(`#/results/${ids.review}`));
    await tid('carry-over').waitFor();
    assert.equal((await tid('carry-over-summary').textContent()).trim(), r.plan.carry_over.summary);
    const words = { done_but_not_moved: 'Done, but the practice did not move', lifted_over_threshold: 'Lifted over the threshold' };
    const fig = (x) => (x === null ? '–' : (Math.floor(x * 100 + 1e-7) / 100).toFixed(2));
    for (const i of r.plan.carry_over.items) {
      const row = tid(`carry-item-${i.item}`);
      assert.equal(await row.getAttribute('data-flag'), i.flag ?? '');
      if (i.flag) assert.equal((await tid(`carry-flag-${i.item}`).textContent()).trim(), words[i.flag]);
      if (i.question) assert.match(await tid(`carry-att-${i.item}`).textContent(), new RegExp(`${fig(i.then)}\\s*→.*${fig(i.now)}`));
      else assert.equal((await tid(`carry-att-${i.item}`).textContent()).trim(), '—');
    }
    const moved = await page.locator('[data-testid^="moved-"]:not([data-testid="moved-without-plan"])').count();
    assert.equal(moved, r.plan.carry_over.moved_without_plan.length);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

// The plan as a file for the client's PMO: exported as a workbook and as CSV through
// the save dialog; a CSV edited by the test (as the PMO would) read back through the
// open dialog: the preview lists each change, Import applies them; a file with problems
// lists each with its cell, cannot be imported, and changes nothing.
describe('the plan as a file', () => {
  it('exports the plan as an Excel workbook and as CSV, saying where each was written', async () => {
    const { page, server, errors, tid } = await ui.open('demo');
    const ids = await demoIds(server);
    const plan = await server.api('plan', { organisation: ids.org });
    assert.ok(plan.items.length > 0, 'the demo has a plan');
    await page.goto(server.page(`#/org/${ids.org}/plan`));
    await tid('plan-items').waitFor();

    await tid('plan-export-xlsx').click();
    await tid('plan-file-path').waitFor();
    assert.equal(await tid('plan-file-result').getAttribute('data-kind'), 'saved');
    assert.match(await tid('plan-file-result').innerText(), /saved as an Excel workbook/);
    const xlsx = await tid('plan-file-path').innerText();
    assert.match(xlsx, /Northwind Energy - plan\.xlsx$/);
    assert.equal(basename(xlsx), (await server.log()).dialogs.at(-1).suggested);
    const bytes = readFileSync(xlsx);
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a workbook is a zip file');

    await tid('plan-export-csv').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="plan-file-path"]')?.textContent?.endsWith('plan.csv'));
    const csv = readPlanCsv(await tid('plan-file-path').innerText());
    assert.equal(csv.header[0], 'Item id');
    assert.deepEqual(csv.rows.map((r) => r[csv.col('Item id')]).sort(), plan.items.map((i) => i.uuid).sort());
    assert.deepEqual((await server.calls('export_plan')).map((a) => a.format), ['xlsx', 'csv']);

    // A cancelled save dialog writes nothing, and says so.
    await server.control('save-dialog', { dir: null, path: null });
    await tid('plan-export-csv').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="plan-file-result"]')?.getAttribute('data-kind') === 'cancelled');
    assert.match(await tid('plan-file-result').innerText(), /no file was written/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('imports a CSV the PMO edited: the preview lists each change, Import applies them', async () => {
    const { page, server, errors, tid } = await ui.open('demo');
    const ids = await demoIds(server);
    const before = (await server.api('plan', { organisation: ids.org })).items;
    const csv = await exportedPlanCsv(server, ids.org);
    const row = (item) => csv.rows.find((r) => r[csv.col('Item id')] === item.uuid);
    // One item's status (one still planned, so the default filters show it after), another's owner.
    const a = before.find((i) => i.status === 'planned');
    const b = before.find((i) => i.id !== a.id && i.status !== 'dropped');
    row(a)[csv.col('Status')] = 'Done';
    row(b)[csv.col('Owner')] = 'Grace Okafor';
    const file = writePlanCsv(csv, 'plan from the PMO.csv');

    await page.goto(server.page(`#/org/${ids.org}/plan`));
    await tid(`plan-item-${a.id}`).waitFor();
    await server.pick(file);
    await tid('plan-import').click();
    await tid('plan-updates-changes').waitFor();
    assert.equal(await tid('plan-updates-preview').getAttribute('data-state'), 'ready');
    assert.equal(await tid('plan-updates-file').innerText(), 'plan from the PMO.csv');
    assert.equal(await tid('plan-updates-summary').innerText(), `2 items change; ${before.length - 2} unchanged`);
    assert.equal(await page.locator('[data-testid^="plan-updates-change-"]').count(), 2);
    assert.match(await tid(`plan-updates-change-${a.id}`).innerText(), new RegExp(escape(a.title.slice(0, 40))));
    const cells = async (id) => (await tid(id).locator('th, td').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(await cells(`plan-updates-field-${a.id}-status`), ['Status', 'Planned', '→', 'Done']);
    assert.deepEqual(await cells(`plan-updates-field-${b.id}-owner`), ['Owner', b.owner ?? '—', '→', 'Grace Okafor']);
    assert.equal(await tid(`plan-updates-change-${a.id}`).locator('tbody tr').count(), 1, 'only the status of a changes');
    assert.equal(await tid('plan-updates-problem').count(), 0);
    assert.equal(await tid('plan-updates-confirm').isDisabled(), false);
    assert.deepEqual((await server.api('plan', { organisation: ids.org })).items, before, 'a preview writes nothing');

    await tid('plan-updates-confirm').click();
    await tid('plan-updates-preview').waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.querySelector('[data-testid="plan-file-result"]')?.getAttribute('data-kind') === 'imported');
    assert.equal((await tid('plan-file-result').innerText()).trim(), '2 items updated from plan from the PMO.csv.');
    // The plan is loaded again: the screen shows the new status and owner.
    await page.waitForFunction((id) => document.querySelector(`[data-testid="plan-item-${id}"]`)?.getAttribute('data-status') === 'done', a.id);
    assert.match(await tid(`plan-status-${a.id}`).innerText(), /Done/);
    assert.match(await tid(`plan-owner-${b.id}`).innerText(), /Grace Okafor/);
    const after = (await server.api('plan', { organisation: ids.org })).items;
    assert.equal(after.find((i) => i.id === a.id).status, 'done');
    assert.equal(after.find((i) => i.id === b.id).owner, 'Grace Okafor');
    const untouched = (list) => list.filter((i) => i.id !== a.id && i.id !== b.id);
    assert.deepEqual(untouched(after), untouched(before));
    assert.equal((await server.calls('import_plan_updates')).length, 1);
    assert.deepEqual(await server.calls('discard_plan_updates'), []);

    // The same file again: nothing left to change.
    await tid('plan-import').click();
    await tid('plan-updates-nothing').waitFor();
    assert.equal(await tid('plan-updates-preview').getAttribute('data-state'), 'nothing');
    assert.equal(await tid('plan-updates-confirm').isDisabled(), true);
    await tid('plan-updates-cancel').click();
    await tid('plan-updates-preview').waitFor({ state: 'hidden' });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a CSV with a bad status, then one with an unknown item id: each problem with its cell, Import disabled, nothing changed', async () => {
    const { page, server, errors, tid } = await ui.open('demo');
    const ids = await demoIds(server);
    const before = (await server.api('plan', { organisation: ids.org })).items;
    const letter = (name) => String.fromCharCode(65 + csv.col(name));
    const csv = await exportedPlanCsv(server, ids.org);
    const owner = csv.rows[0][csv.col('Owner')];
    const status = csv.rows[1][csv.col('Status')];
    // An owner changed (which must not be applied either), and the status of the second
    // item (spreadsheet row 3) that is none.
    csv.rows[0][csv.col('Owner')] = 'Grace Okafor';
    csv.rows[1][csv.col('Status')] = 'Finished';
    const badStatus = writePlanCsv(csv, 'bad status.csv');
    // The status right again, and the id of the fourth item (row 5) one of no item.
    csv.rows[1][csv.col('Status')] = status;
    csv.rows[3][csv.col('Item id')] = UNKNOWN_ID;
    const unknownId = writePlanCsv(csv, 'unknown id.csv');

    await page.goto(server.page(`#/org/${ids.org}/plan`));
    await tid('plan-items').waitFor();
    const blocked = async (file) => {
      await server.pick(file);
      await tid('plan-import').click();
      await tid('plan-updates-problems').waitFor();
      assert.equal(await tid('plan-updates-preview').getAttribute('data-state'), 'blocked');
      assert.match(await tid('plan-updates-blocked').innerText(), /cannot be imported: one problem\. Nothing was changed\. Fix it in the file, then import it again\./);
      assert.equal(await tid('plan-updates-confirm').isDisabled(), true);
      const problems = (await tid('plan-updates-problem').allInnerTexts()).map((t) => t.trim());
      return problems;
    };
    const cancel = async () => {
      await tid('plan-updates-cancel').click();
      await tid('plan-updates-preview').waitFor({ state: 'hidden' });
    };

    let problems = await blocked(badStatus);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], new RegExp(`^row 3, column ${letter('Status')} \\(Status\\): .*Finished`));
    await cancel();

    problems = await blocked(unknownId);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], new RegExp(`^row 5, column ${letter('Item id')} \\(Item id\\): .*${UNKNOWN_ID}`));
    // What the rest of the file would change is listed, and not applied.
    const first = before.find((i) => i.uuid === csv.rows[0][csv.col('Item id')]);
    assert.deepEqual(
      (await tid(`plan-updates-field-${first.id}-owner`).locator('th, td').allInnerTexts()).map((t) => t.trim()),
      ['Owner', owner === '' ? '—' : owner, '→', 'Grace Okafor'],
    );
    await cancel();

    assert.equal((await server.calls('discard_plan_updates')).length, 2);
    assert.deepEqual(await server.calls('import_plan_updates'), []);
    assert.deepEqual((await server.api('plan', { organisation: ids.org })).items, before, 'nothing changed');
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe('the plan of an organisation without rounds', () => {
  it('adds an item by hand from the blocks and questions the plan sends', async () => {
    const { page, server, errors, tid } = await ui.open('demo');
    const org = await server.api('create_organisation', { name: 'Harbour Mutual' });
    const plan = await server.api('plan', { organisation: org });
    assert.ok(plan.blocks.length > 0 && plan.questions.length > 0, 'the plan sends a model’s blocks and questions');
    await page.goto(server.page(`#/org/${org}/plan`));
    await tid('plan-empty').waitFor();
    assert.equal(await tid('plan-add').isDisabled(), false);
    await tid('plan-add').click();
    await tid('plan-add-form').waitFor();
    const blocks = await tid('plan-new-block').locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent.trim()]));
    assert.deepEqual(blocks, plan.blocks.map((b) => [b.id, b.name]));
    const block = plan.blocks[1];
    await tid('plan-new-block').selectOption(block.id);
    const question = plan.questions.find((q) => q.block === block.id);
    const offered = await tid('plan-new-question').locator('option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(offered, ['', ...plan.questions.filter((q) => q.block === block.id).map((q) => q.id)]);
    await tid('plan-new-question').selectOption(question.id);
    await tid('plan-new-title').fill('Name a customer experience lead');
    await tid('plan-add-save').click();
    await tid('plan-add-form').waitFor({ state: 'detached' });
    const [made] = (await server.api('plan', { organisation: org })).items;
    assert.deepEqual([made.title, made.block, made.question], ['Name a customer experience lead', block.id, question.id]);
    await tid(`plan-item-${made.id}`).waitFor();
    assert.deepEqual(await server.calls('round_page'), [], 'the plan screen needs no round');
    assert.deepEqual(errors, []);
    await page.close();
  });
});

/** `text` as a regular expression matching it literally. */
function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

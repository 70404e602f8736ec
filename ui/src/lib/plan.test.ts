import { describe, expect, it } from 'vitest';
import {
  NO_OWNER,
  PLAN_EXPORT_LABELS,
  byBlock,
  changeFieldLabel,
  changeText,
  changeValue,
  byQuarter,
  carryFlag,
  defaultFilter,
  effortLabel,
  fieldArgument,
  filterItems,
  nextField,
  plannedOutcome,
  quarterLabel,
  quarterMonths,
  statusCounts,
  statusLabel,
  updatedText,
  updatesSummary,
  planExportedText,
} from './plan';
import type { PlanItemView } from './types';

function item(id: number, over: Partial<PlanItemView> = {}): PlanItemView {
  return {
    id,
    uuid: `u-${id}`,
    title: `Item ${id}`,
    block: 'strategy',
    block_name: 'Strategy',
    question: null,
    question_text: null,
    owner: null,
    due: null,
    due_quarter: null,
    effort: null,
    status: 'planned',
    notes: null,
    planned_from: null,
    overdue: false,
    ...over,
  };
}

describe('plan words', () => {
  it('names statuses, efforts and quarters', () => {
    expect(statusLabel('in_progress')).toBe('In progress');
    expect(statusLabel('odd')).toBe('odd');
    expect(effortLabel('M')).toBe('Medium');
    expect(effortLabel(null)).toBe('—');
    expect(quarterLabel('2027-Q1')).toBe('Q1 2027');
    expect(quarterLabel('2027-03-31')).toBe('2027-03-31');
    expect(quarterMonths('2026-Q4')).toBe('Oct – Dec 2026');
    expect(quarterMonths('none')).toBe('');
  });

  it('says what planning did', () => {
    expect(plannedOutcome({ added: [1, 2, 3], already: ['A'] })).toBe('3 added; 1 already in the plan');
    expect(plannedOutcome({ added: [], already: ['A', 'B'] })).toBe('2 already in the plan');
    expect(plannedOutcome({ added: [4], already: [] })).toBe('1 added');
    expect(plannedOutcome({ added: [], already: [] })).toBe('0 added');
  });

  it('puts the carry-over flags in words', () => {
    expect(carryFlag('done_but_not_moved')).toBe('Done, but the practice did not move');
    expect(carryFlag('lifted_over_threshold')).toBe('Lifted over the threshold');
    expect(carryFlag(null)).toBe('');
  });
});

describe('plan filters and groups', () => {
  const items = [
    item(1, { owner: 'Anna', status: 'done', due: '2027-Q2', due_quarter: '2027-Q2' }),
    item(2, { owner: 'Ben', status: 'dropped' }),
    item(3, { status: 'in_progress', due: '2026-11-30', due_quarter: '2026-Q4', block: 'culture', block_name: 'Culture' }),
    item(4, { owner: 'Anna', due: '2027-Q2', due_quarter: '2027-Q2', block: 'odd', block_name: 'A retired block' }),
  ];

  it('hides dropped items by default and filters by owner', () => {
    expect(filterItems(items, defaultFilter()).map((i) => i.id)).toEqual([1, 3, 4]);
    expect(filterItems(items, { ...defaultFilter(), owner: 'Anna' }).map((i) => i.id)).toEqual([1, 4]);
    expect(filterItems(items, { ...defaultFilter(), owner: NO_OWNER }).map((i) => i.id)).toEqual([3]);
    expect(filterItems(items, { statuses: new Set(['dropped']), owner: '' }).map((i) => i.id)).toEqual([2]);
    expect(statusCounts(items)).toEqual({ planned: 1, in_progress: 1, done: 1, dropped: 1 });
  });

  it('groups by quarter in time order, no due date last', () => {
    const g = byQuarter(items);
    expect(g.map((x) => x.key)).toEqual(['2026-Q4', '2027-Q2', 'none']);
    expect(g.map((x) => x.title)).toEqual(['Q4 2026', 'Q2 2027', 'No due date']);
    expect(g[1].items.map((i) => i.id)).toEqual([1, 4]);
  });

  it('groups by block in the model order, unknown blocks after by name', () => {
    const g = byBlock(items, ['strategy', 'voice', 'culture']);
    expect(g.map((x) => x.key)).toEqual(['strategy', 'culture', 'odd']);
    expect(g.map((x) => x.blockIndex)).toEqual([0, 2, -1]);
    expect(g[2].title).toBe('A retired block');
  });
});

describe('plan editing', () => {
  it('moves field by field and stops at the ends', () => {
    expect(nextField('title', 1)).toBe('notes');
    expect(nextField('effort', 1)).toBe('status');
    expect(nextField('status', 1)).toBeNull();
    expect(nextField('title', -1)).toBeNull();
  });

  it('clears an optional field left blank, and sends a title as typed', () => {
    expect(fieldArgument('owner', '  ')).toBeNull();
    expect(fieldArgument('due', '2027-Q1')).toBe('2027-Q1');
    expect(fieldArgument('title', '')).toBe('');
  });
});

describe('the plan as a file', () => {
  it('says each side of a changed field as the plan screen does', () => {
    expect(changeText({ field: 'owner', from: null, to: 'Priya Shah' })).toBe('Owner: — → Priya Shah');
    expect(changeText({ field: 'status', from: 'planned', to: 'in_progress' })).toBe('Status: Planned → In progress');
    expect(changeText({ field: 'effort', from: 'S', to: null })).toBe('Effort: Small → —');
    expect(changeText({ field: 'due', from: '2027-Q1', to: '2027-03-31' })).toBe('Due: Q1 2027 → 2027-03-31');
    expect(changeFieldLabel('notes')).toBe('Notes');
    expect(changeFieldLabel('colour')).toBe('colour');
    expect(changeValue('notes', '')).toBe('—');
  });

  it('sums up a preview and an import', () => {
    const preview = { token: 1, file_name: 'plan.csv', unchanged: 14, problems: [] };
    const change = { item: 1, title: 'A', fields: [] };
    expect(updatesSummary({ ...preview, changes: [change] })).toBe('1 item changes; 14 unchanged');
    expect(updatesSummary({ ...preview, changes: [change, { ...change, item: 2 }], unchanged: 0 })).toBe('2 items change; 0 unchanged');
    expect(updatedText(1)).toBe('1 item updated');
    expect(updatedText(3)).toBe('3 items updated');
    expect(PLAN_EXPORT_LABELS.xlsx).toBe('Export plan (Excel)');
    expect(planExportedText('csv')).toMatch(/Import plan updates/);
  });
});

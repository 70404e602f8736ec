// The plan screen's words and arrangements (pure): status and effort labels, the
// filters, the groups by quarter or by block, the outcome of planning actions. The
// rules (what a due is, when an item is overdue, which questions are planned) are the
// backend's; this file only orders and names what it sends.
import type { FieldChange, PlanFormat, PlanItemView, PlanAdded, PlanUpdatesPreview } from './types';
import { plural } from './format';

/** The statuses, in the order a plan moves through them (`PlanItemView.status`). */
export const STATUSES = ['planned', 'in_progress', 'done', 'dropped'] as const;
export type Status = (typeof STATUSES)[number];

const STATUS_LABELS: Record<string, string> = {
  planned: 'Planned',
  in_progress: 'In progress',
  done: 'Done',
  dropped: 'Dropped',
};

/** "In progress" for `in_progress`; an unknown status as it came. */
export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

/** The efforts (`PlanItemView.effort`). */
export const EFFORTS = ['S', 'M', 'L'] as const;

const EFFORT_LABELS: Record<string, string> = { S: 'Small', M: 'Medium', L: 'Large' };

/** "Medium" for `M`; "—" for none. */
export function effortLabel(effort: string | null): string {
  if (effort === null) return '—';
  return EFFORT_LABELS[effort] ?? effort;
}

/** `2027-Q1` → "Q1 2027"; anything else as it came. */
export function quarterLabel(quarter: string): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  return m ? `Q${m[2]} ${m[1]}` : quarter;
}

const QUARTER_MONTHS = ['Jan – Mar', 'Apr – Jun', 'Jul – Sep', 'Oct – Dec'];

/** `2027-Q1` → "Jan – Mar 2027"; "" for anything else. */
export function quarterMonths(quarter: string): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  return m ? `${QUARTER_MONTHS[Number(m[2]) - 1]} ${m[1]}` : '';
}

/** The owner filter's value for items without an owner (no owner name can be it:
 *  names never hold control characters). */
export const NO_OWNER = '\u0000none';

export type PlanFilter = {
  /** The statuses shown. */
  statuses: ReadonlySet<string>;
  /** `''` every owner, `NO_OWNER` items without one, or an owner's name. */
  owner: string;
};

/** What a new plan screen shows: every status but dropped, every owner. */
export function defaultFilter(): PlanFilter {
  return { statuses: new Set(['planned', 'in_progress', 'done']), owner: '' };
}

/** The items the filter shows, in the order given. */
export function filterItems(items: PlanItemView[], filter: PlanFilter): PlanItemView[] {
  return items.filter(
    (i) =>
      filter.statuses.has(i.status) &&
      (filter.owner === '' || (filter.owner === NO_OWNER ? i.owner === null : i.owner === filter.owner)),
  );
}

/** How many items have each status. */
export function statusCounts(items: PlanItemView[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  for (const i of items) counts[i.status] = (counts[i.status] ?? 0) + 1;
  return counts;
}

export type PlanGroup = {
  /** `2027-Q1`, `none` (no due date), or a block id. */
  key: string;
  /** "Q1 2027", "No due date", or the block's name. */
  title: string;
  /** "Jan – Mar 2027" for a quarter; "" otherwise. */
  subtitle: string;
  /** The block's position in the model (for its colour); -1 for a quarter. */
  blockIndex: number;
  items: PlanItemView[];
};

/** The items by due quarter, earliest first, "No due date" last; within a quarter in
 *  the order given (the backend's: by due day, then creation). */
export function byQuarter(items: PlanItemView[]): PlanGroup[] {
  const groups = new Map<string, PlanItemView[]>();
  for (const i of items) {
    const key = i.due_quarter ?? 'none';
    const list = groups.get(key) ?? [];
    list.push(i);
    groups.set(key, list);
  }
  const keys = [...groups.keys()].filter((k) => k !== 'none').sort();
  if (groups.has('none')) keys.push('none');
  return keys.map((key) => ({
    key,
    title: key === 'none' ? 'No due date' : quarterLabel(key),
    subtitle: key === 'none' ? '' : quarterMonths(key),
    blockIndex: -1,
    items: groups.get(key) ?? [],
  }));
}

/** The items by block, in the model's block order (`blockOrder`: ids); blocks the
 *  model lacks after them, by name. */
export function byBlock(items: PlanItemView[], blockOrder: string[]): PlanGroup[] {
  const groups = new Map<string, PlanItemView[]>();
  for (const i of items) {
    const list = groups.get(i.block) ?? [];
    list.push(i);
    groups.set(i.block, list);
  }
  const name = (id: string) => groups.get(id)?.[0]?.block_name ?? id;
  const known = blockOrder.filter((b) => groups.has(b));
  const others = [...groups.keys()].filter((b) => !blockOrder.includes(b)).sort((a, b) => name(a).localeCompare(name(b)));
  return [...known, ...others].map((key) => ({
    key,
    title: name(key),
    subtitle: '',
    blockIndex: blockOrder.indexOf(key),
    items: groups.get(key) ?? [],
  }));
}

/** "3 added; 1 already in the plan" (what *Add to plan* or *Plan all tier-1 actions* did). */
export function plannedOutcome(out: PlanAdded): string {
  const parts: string[] = [];
  if (out.added.length > 0 || out.already.length === 0) parts.push(`${out.added.length} added`);
  if (out.already.length > 0) parts.push(`${out.already.length} already in the plan`);
  return parts.join('; ');
}

/** A carry-over flag in words. */
export function carryFlag(flag: string | null): string {
  if (flag === 'done_but_not_moved') return 'Done, but the practice did not move';
  if (flag === 'lifted_over_threshold') return 'Lifted over the threshold';
  return '';
}


/** The fields of an item the plan screen edits, in the order Tab visits them. */
export const FIELDS = ['title', 'notes', 'owner', 'due', 'effort', 'status'] as const;
export type Field = (typeof FIELDS)[number];

/** The field after (`step` 1) or before (-1) `field`; `null` past either end. */
export function nextField(field: Field, step: 1 | -1): Field | null {
  const i = FIELDS.indexOf(field) + step;
  return i >= 0 && i < FIELDS.length ? FIELDS[i] : null;
}

/** A field's current value as its editor starts with it ("" for none). */
export function fieldValue(item: PlanItemView, field: Field): string {
  return item[field] ?? '';
}

/** What `set_plan_field` is sent for a draft: the text, or `null` (clears an optional
 *  field) when nothing visible was typed. The title is always sent as typed: whether an
 *  empty one is allowed is the backend's to say. */
export function fieldArgument(field: Field, draft: string): string | null {
  if (field === 'title') return draft;
  return draft.trim() === '' ? null : draft;
}

// ----- the plan as a file (the PMO's workbook or CSV) -----

/** The button label of each plan export. */
export const PLAN_EXPORT_LABELS: Record<PlanFormat, string> = {
  xlsx: 'Export plan (Excel)',
  csv: 'Export plan (CSV)',
};

/** What a plan export wrote, in words. */
export function planExportedText(format: PlanFormat): string {
  return format === 'xlsx'
    ? 'The plan was saved as an Excel workbook: owners, due dates, effort, status and notes can be edited there, then read back with “Import plan updates…”.'
    : 'The plan was saved as CSV, in the layout “Import plan updates…” reads.';
}

const CHANGE_FIELDS: Record<string, string> = {
  owner: 'Owner',
  due: 'Due',
  effort: 'Effort',
  status: 'Status',
  notes: 'Notes',
};

/** A changed field's name ("Owner" for `owner`); an unknown one as it came. */
export function changeFieldLabel(field: string): string {
  return CHANGE_FIELDS[field] ?? field;
}

/** One side of a changed field as the plan screen says it: "In progress" for a
 *  status, "Medium" for an effort, "Q1 2027" for a quarter, "—" for empty. */
export function changeValue(field: string, value: string | null): string {
  if (value === null || value === '') return '—';
  if (field === 'status') return statusLabel(value);
  if (field === 'effort') return effortLabel(value);
  if (field === 'due') return quarterLabel(value);
  return value;
}

/** "Owner: — → Priya Shah". */
export function changeText(c: FieldChange): string {
  return `${changeFieldLabel(c.field)}: ${changeValue(c.field, c.from)} → ${changeValue(c.field, c.to)}`;
}

/** What a preview would do: "2 items change; 14 unchanged". */
export function updatesSummary(p: PlanUpdatesPreview): string {
  const changing = p.changes.length === 1 ? '1 item changes' : `${p.changes.length} items change`;
  return `${changing}; ${p.unchanged} unchanged`;
}

/** What `import_plan_updates` did: "2 items updated". */
export function updatedText(changed: number): string {
  return `${plural(changed, 'item')} updated`;
}

// The alignment view (rule 6) as a table: one column per role group (hidden groups
// included, without figures), one row per block.

import type { AlignmentBlock, AlignmentCell, AlignmentGroup, AlignmentView } from './types';

export interface AlignmentColumn {
  group: AlignmentGroup;
  /** Index into each block's `cells`; -1 for a hidden group (it has no cells). */
  cell: number;
}

/** The table's columns, in the groups' order; shown groups map to their cells. */
export function alignmentColumns(view: AlignmentView): AlignmentColumn[] {
  let next = 0;
  return view.groups.map((group) => ({ group, cell: group.hidden ? -1 : next++ }));
}

/** A block's cell for a column, `null` for a hidden group. */
export function cellAt(block: AlignmentBlock, column: AlignmentColumn): AlignmentCell | null {
  return column.cell < 0 ? null : (block.cells[column.cell] ?? null);
}

/** A shade for an attainment, 0 (lowest) to 4 (highest), in fifths, rounded down as
 *  every figure is; `null` when the group rated none of the block's questions. */
export function heatLevel(attainment: number | null): number | null {
  if (attainment === null) return null;
  return Math.max(0, Math.min(4, Math.floor(attainment * 5 + 1e-9)));
}

/** The shown groups: those with figures. */
export function shownGroups(view: AlignmentView): AlignmentGroup[] {
  return view.groups.filter((g) => !g.hidden);
}

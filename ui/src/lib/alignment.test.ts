import { describe, expect, it } from 'vitest';
import { alignmentColumns, cellAt, heatLevel, shownGroups } from './alignment';
import type { AlignmentView } from './types';

const view: AlignmentView = {
  anonymity_threshold: 3,
  flag_threshold: 0.25,
  groups: [
    { id: 'executive', name: 'Executive', respondents: 4, hidden: false, note: null },
    { id: 'manager', name: 'Manager', respondents: 2, hidden: true, note: 'Manager: 2 respondents, fewer than 3.' },
    { id: 'front-line', name: 'Front line', respondents: 5, hidden: false, note: null },
  ],
  blocks: [
    {
      id: 'culture',
      name: 'Culture',
      gap: 0.3,
      flagged: true,
      text: { mark: 'plain', text: 'Culture: gap = 0.3' },
      cells: [
        { group: 'executive', attainment: 0.8, reached_phase: 3, lowest: [] },
        { group: 'front-line', attainment: 0.5, reached_phase: 2, lowest: [] },
      ],
    },
  ],
};

describe('alignment', () => {
  it('gives hidden groups a column without cells', () => {
    const cols = alignmentColumns(view);
    expect(cols.map((c) => c.cell)).toEqual([0, -1, 1]);
    expect(cellAt(view.blocks[0], cols[0])?.group).toBe('executive');
    expect(cellAt(view.blocks[0], cols[1])).toBeNull();
    expect(cellAt(view.blocks[0], cols[2])?.group).toBe('front-line');
    expect(shownGroups(view).map((g) => g.id)).toEqual(['executive', 'front-line']);
  });

  it('shades attainment in fifths, rounded down', () => {
    expect(heatLevel(null)).toBeNull();
    expect(heatLevel(0)).toBe(0);
    expect(heatLevel(0.199)).toBe(0);
    expect(heatLevel(0.2)).toBe(1);
    expect(heatLevel(0.75)).toBe(3);
    expect(heatLevel(1)).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import { compareArg, fromPicker, latestPair, orderPair, phaseChange, pickerValue } from './progress';
import type { RoundInfo } from './types';

const round = (id: number, phase: number | null = 1): RoundInfo => ({
  id,
  organisation: 1,
  organisation_name: 'Northwind Energy',
  title: `Round ${id}`,
  date: '2026-01-01',
  status: 'closed',
  model_key: 'cx-maturity@1',
  target_phase: null,
  phase,
  respondents: 3,
  interviews_complete: 3,
});

describe('the comparison round', () => {
  it('maps a choice to the backend argument', () => {
    expect(compareArg('previous')).toEqual({ kind: 'previous' });
    expect(compareArg('none')).toEqual({ kind: 'none' });
    expect(compareArg(4)).toEqual({ kind: 'round', id: 4 });
  });

  it('shows the round actually compared with, and maps the picker back', () => {
    const comparable = [round(9), round(4)];
    expect(pickerValue('previous', comparable[0])).toBe('9');
    expect(pickerValue('previous', null)).toBe('none');
    expect(pickerValue('none', comparable[0])).toBe('none');
    expect(pickerValue(4, comparable[1])).toBe('4');
    expect(fromPicker('none', comparable)).toBe('none');
    expect(fromPicker('9', comparable)).toBe('previous');
    expect(fromPicker('4', comparable)).toBe(4);
  });

  it('orders two rounds to compare, earlier first', () => {
    const rounds = [round(2), round(5), round(9)];
    expect(orderPair(9, 2, rounds)).toEqual({ earlier: 2, later: 9 });
    expect(orderPair(2, 5, rounds)).toEqual({ earlier: 2, later: 5 });
    expect(orderPair(5, 5, rounds)).toBeNull();
    expect(orderPair(5, 7, rounds)).toBeNull();
  });

  it('finds the latest two rounds with answers', () => {
    expect(latestPair([round(1), round(2), round(3, null)])).toEqual({ earlier: round(1), later: round(2) });
    expect(latestPair([round(1), round(3, null)])).toBeNull();
  });

  it('names a phase change', () => {
    expect(phaseChange('Culture', 2, 3)).toBe('Culture: 2 → 3');
    expect(phaseChange('Strategy', 2, 2)).toBe('Strategy: stays at 2');
  });
});

// Progress between rounds (rule 7) as the screens pick and show it: which round the
// results compare with, what the picker shows, and the two rounds to compare side by side.

import type { Compare } from './routes';
import type { CompareWith, RoundInfo } from './types';

/** The `compare_with` argument of `results` and `export_pdf` for a choice. */
export function compareArg(compare: Compare): CompareWith {
  if (compare === 'previous') return { kind: 'previous' };
  if (compare === 'none') return { kind: 'none' };
  return { kind: 'round', id: compare };
}

/** The picker's value for a choice: a round id, or "none". `previous` shows the round
 *  the results were actually compared with (the first of the comparable rounds). */
export function pickerValue(compare: Compare, comparedWith: RoundInfo | null): string {
  if (compare === 'none') return 'none';
  if (compare === 'previous') return comparedWith ? String(comparedWith.id) : 'none';
  return String(compare);
}

/** The choice for a picker value: the first comparable round is the default. */
export function fromPicker(value: string, comparable: RoundInfo[]): Compare {
  if (value === 'none' || value === '') return 'none';
  const id = Number(value);
  return comparable.length > 0 && comparable[0].id === id ? 'previous' : id;
}

/** Two rounds of one organisation, earlier then later, by their order in `rounds`
 *  (oldest first, as the organisation page lists them); `null` for the same round or
 *  one that is not there. */
export function orderPair(
  a: number,
  b: number,
  rounds: { id: number }[],
): { earlier: number; later: number } | null {
  const ia = rounds.findIndex((r) => r.id === a);
  const ib = rounds.findIndex((r) => r.id === b);
  if (ia < 0 || ib < 0 || ia === ib) return null;
  return ia < ib ? { earlier: a, later: b } : { earlier: b, later: a };
}

/** The latest round with answers and the one before it with answers (oldest-first
 *  list): the pair the organisation page's movement compares. */
export function latestPair<T extends { id: number; phase: number | null }>(
  rounds: T[],
): { earlier: T; later: T } | null {
  const scored = rounds.filter((r) => r.phase !== null);
  if (scored.length < 2) return null;
  return { earlier: scored[scored.length - 2], later: scored[scored.length - 1] };
}

/** "Culture: 2 → 3", or "Culture: stays at 2". */
export function phaseChange(name: string, from: number, to: number): string {
  return from === to ? `${name}: stays at ${from}` : `${name}: ${from} → ${to}`;
}

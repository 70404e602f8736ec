import { describe, expect, it } from 'vitest';
import { figure, formatDate, percent, today } from './format';
import { parseHash } from './router.svelte';

describe('format', () => {
  it('rounds figures down, as the domain does', () => {
    expect(figure(0.749999)).toBe('0.74');
    expect(figure(0.75)).toBe('0.75');
    expect(figure(2)).toBe('2.00');
    expect(figure(0.666666)).toBe('0.66');
    expect(percent(0.749)).toBe('74%');
  });

  it('formats calendar dates without a time zone', () => {
    expect(formatDate('2026-09-08')).toBe('8 Sep 2026');
    expect(formatDate(null)).toBe('');
    expect(today(new Date(2026, 0, 5))).toBe('2026-01-05');
  });
});

describe('routes', () => {
  it('parses the hash', () => {
    expect(parseHash('')).toEqual({ name: 'home' });
    expect(parseHash('#/')).toEqual({ name: 'home' });
    expect(parseHash('#/org/12')).toEqual({ name: 'org', id: 12 });
    expect(parseHash('#/interview/3/')).toEqual({ name: 'interview', id: 3 });
    expect(parseHash('#/results/x')).toEqual({ name: 'not-found', path: '/results/x' });
  });
});

import { describe, expect, it } from 'vitest';
import { delta, figure, formatDate, percent, sentenceKind, sentences, today, trend } from './format';
import { href, parseHash } from './routes';

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
    expect(parseHash('#/models')).toEqual({ name: 'models' });
    expect(parseHash('#/settings')).toEqual({ name: 'settings' });
    expect(parseHash(href.settings())).toEqual({ name: 'settings' });
  });

  it('carries the comparison round of the results in the query', () => {
    expect(parseHash('#/results/15')).toEqual({ name: 'results', id: 15, compare: 'previous' });
    expect(parseHash('#/results/15?compare=2')).toEqual({ name: 'results', id: 15, compare: 2 });
    expect(parseHash('#/results/15?compare=none')).toEqual({ name: 'results', id: 15, compare: 'none' });
    expect(parseHash('#/results/15?compare=0')).toEqual({ name: 'results', id: 15, compare: 'previous' });
    expect(parseHash('#/results/15?compare=x')).toEqual({ name: 'results', id: 15, compare: 'previous' });
    expect(href.results(15)).toBe('#/results/15');
    expect(href.results(15, 'none')).toBe('#/results/15?compare=none');
    expect(href.results(15, 2)).toBe('#/results/15?compare=2');
    for (const c of ['previous', 'none', 7] as const) expect(parseHash(href.results(3, c))).toEqual({ name: 'results', id: 3, compare: c });
  });
});

describe('changes and explanations', () => {
  it('shows changes rounded toward zero, with a true minus sign', () => {
    expect(delta(0.914)).toBe('+0.91');
    expect(delta(-0.055)).toBe('−0.05');
    expect(delta(0.004)).toBe('±0.00');
    expect(delta(-0.004)).toBe('±0.00');
    expect(delta(0.3)).toBe('+0.30');
    expect(trend(0.2)).toBe('up');
    expect(trend(-0.2)).toBe('down');
    expect(trend(0.001)).toBe('flat');
    expect(trend(null)).toBe('flat');
  });

  it('splits an explanation into sentences, keeping decimals and ids whole', () => {
    expect(
      sentences('Phase 1: attainment 0.90 meets the threshold 0.75, passed. The lowest questions are STR-3.1 (0.48). Maturity = 2 + 0.52 = 2.52.'),
    ).toEqual([
      'Phase 1: attainment 0.90 meets the threshold 0.75, passed.',
      'The lowest questions are STR-3.1 (0.48).',
      'Maturity = 2 + 0.52 = 2.52.',
    ]);
    expect(sentences('')).toEqual([]);
    expect(sentenceKind('Phase 1: attainment 0.90 meets the threshold 0.75, passed.')).toBe('pass');
    expect(sentenceKind('Phase 3: attainment 0.52 is below the threshold 0.75, so the walk stops here.')).toBe('stop');
    expect(sentenceKind('Strategy is at phase 2 (the bottleneck).')).toBe('stop');
    expect(sentenceKind('Maturity = 2 + 0.52 = 2.52.')).toBe('plain');
  });
});

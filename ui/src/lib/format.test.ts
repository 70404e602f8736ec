import { describe, expect, it } from 'vitest';
import { blockNames, delta, figure, formatDate, percent, today, trend } from './format';
import { href, parseHash } from './routes';
import type { ResultsView } from './types';
// The demo's latest round as `results` sends it (crates/cxm-api/tests/ui_fixtures.rs).
import resultsJson from './fixtures/demo-results.json';

const results = resultsJson as ResultsView;

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
    expect(parseHash('#/about')).toEqual({ name: 'about' });
    expect(parseHash(href.about())).toEqual({ name: 'about' });
    expect(parseHash('#/about/x')).toEqual({ name: 'not-found', path: '/about/x' });
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

  it('shows figures as the backend writes them in its explanations', () => {
    for (const b of results.blocks) {
      const why = results.explanations.blocks.find((e) => e.block === b.id)!;
      expect(why.maturity.text).toMatch(new RegExp(`= ${figure(b.maturity).replace('.', '\\.')}\\.`));
      expect(why.text.at(-1)).toEqual(why.maturity);
    }
    for (const a of results.actions) {
      const [tier, priority] = a.explanation;
      expect(tier.text).toContain(`attainment ${figure(a.attainment)} is below the threshold`);
      expect(priority.text).toMatch(new RegExp(` = ${figure(a.priority).replace('.', '\\.')}\\.$`));
    }
  });

  it('gets explanations as marked sentences, one per line', () => {
    const why = results.explanations.blocks[0];
    const strategy = why.text;
    expect(why.block).toBe('strategy');
    expect(strategy.map((s) => s.mark)).toEqual(['plain', 'pass', 'pass', 'stop', 'plain', 'plain']);
    // The figures come from the same results: the block stopped at the phase after the one
    // it reached, whose attainment is its maturity's fraction (2.67 → 0.67 in the demo).
    const block = results.blocks[0];
    expect(block.id).toBe('strategy');
    const stoppedAt = block.reached_phase + 1;
    expect(strategy[3].text).toBe(
      `Phase ${stoppedAt}: attainment ${figure(block.maturity - block.reached_phase)} is below the threshold 0.75, so the walk stops here.`,
    );
    expect(why.lowest).toHaveLength(3);
    expect(why.lowest.every((q) => q.phase === stoppedAt && q.below_threshold && q.question.startsWith('STR-'))).toBe(true);
    const figures = why.lowest.map((q) => q.attainment);
    expect(figures).toEqual([...figures].sort((x, y) => x - y));
    const [a, b, c] = why.lowest.map((q) => `${q.question} (${figure(q.attainment)})`);
    expect(strategy[4].text).toBe(`The lowest questions are ${a}, ${b} and ${c}.`);
    const organisation = results.explanations.organisation;
    expect(organisation.filter((s) => s.mark === 'stop').map((s) => s.text)).toEqual([
      'Strategy, Voice of the Customer and Culture are at phase 2 (the bottleneck).',
    ]);
    expect(results.target?.text).toEqual({ mark: 'stop', text: "The round's target was phase 3 (Aligned); it is not reached yet." });
  });

  it('names the bottleneck from its block ids', () => {
    expect(results.bottleneck).toEqual(['strategy', 'voice-of-customer', 'culture']);
    expect(blockNames(results.bottleneck, results.blocks)).toBe('Strategy, Voice of the Customer, Culture');
    expect(blockNames(['gone'], results.blocks)).toBe('gone');
    expect(blockNames([], results.blocks)).toBe('');
  });
});

// A compact TypeScript version of PRODUCT.md's scoring rules 1–5 and 8, so the fake
// backend's results move when answers change. The real figures come from Rust
// (cxm-domain); this only has to be plausible, not authoritative.

export interface FakeQuestion {
  id: string;
  block: string;
  phase: number;
  text: string;
  guidance: string;
  recommendation: string;
  weight: number;
}

export interface FakeModel {
  key: string;
  title: string;
  threshold: number;
  scale: { max: number; labels: string[]; dont_know: string; not_applicable: string };
  blocks: { id: string; name: string }[];
  phases: { number: number; name: string; description: string }[];
  role_groups: { id: string; name: string }[];
  questions: FakeQuestion[];
}

export interface ScoredRespondent {
  role_group: string;
  /** Indexed like model.questions: "0".."S", "dk", "na" or null. */
  answers: (string | null)[];
}

type PhaseState = { kind: 'assessed'; a: number } | { kind: 'na' } | { kind: 'not_assessed' };

export interface BlockScore {
  id: string;
  name: string;
  reached: number;
  maturity: number;
  attainment: number;
  assessed: boolean;
  phases: PhaseState[];
  explanation: string;
  /** "Maturity = …": the last sentence of `explanation`. */
  maturityText: string;
  /** Below-threshold questions of the phase where the walk stopped, lowest first (≤ 3). */
  lowest: { index: number; a: number }[];
}

export interface ActionScore {
  tier: number;
  block: string;
  block_name: string;
  question: string;
  text: string;
  phase: number;
  attainment: number;
  priority: number;
  recommendation: string;
  explanation: string;
}

export interface Score {
  phase: number;
  bottleneck: string[];
  blocks: BlockScore[];
  organisation: string;
  actions: ActionScore[];
  notYetAssessed: { block: string; question: string; text: string; phase: number }[];
  anyScale: boolean;
  /** a_q per question (null: not assessed), indexed like model.questions. */
  questions: (number | null)[];
}

const EPS = 1e-9;
const atLeast = (a: number, b: number) => a + EPS >= b;

/** Rounded down to two decimals, as every figure shown to a person. */
export function figure(x: number): string {
  return (Math.floor(x * 100 + 1e-7) / 100).toFixed(2);
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function score(model: FakeModel, people: ScoredRespondent[]): Score {
  const S = model.scale.max;
  const tau = model.threshold;
  const n = model.phases.length;
  // Rule 1: question attainment.
  const aq: (number | null)[] = model.questions.map((_, i) => {
    let sum = 0;
    let k = 0;
    for (const p of people) {
      const v = p.answers[i];
      if (v !== null && v !== undefined && v !== 'dk' && v !== 'na') {
        sum += Number(v);
        k += 1;
      }
    }
    return k === 0 ? null : sum / (k * S);
  });
  const anyScale = aq.some((a) => a !== null);
  const allNa = (i: number) => {
    let given = 0;
    for (const p of people) {
      const v = p.answers[i];
      if (v === null || v === undefined) continue;
      given += 1;
      if (v !== 'na') return false;
    }
    return given > 0;
  };

  const phaseName = (p: number) => model.phases[p - 1]?.name ?? `Phase ${p}`;
  const blocks: BlockScore[] = model.blocks.map((b) => {
    const phases: PhaseState[] = model.phases.map((ph) => {
      const qs = model.questions
        .map((q, i) => ({ q, i }))
        .filter(({ q }) => q.block === b.id && q.phase === ph.number);
      let wsum = 0;
      let asum = 0;
      for (const { q, i } of qs) {
        const a = aq[i];
        if (a === null) continue;
        wsum += q.weight;
        asum += q.weight * a;
      }
      if (wsum > 0) return { kind: 'assessed', a: asum / wsum };
      const answered = qs.filter(({ i }) => people.some((p) => p.answers[i] != null));
      if (answered.length > 0 && answered.every(({ i }) => allNa(i))) return { kind: 'na' };
      return { kind: 'not_assessed' };
    });
    // Rule 3: the walk.
    let reached = 0;
    let lowest: { index: number; a: number }[] = [];
    const lines: string[] = [];
    for (let p = 1; p <= n; p++) {
      const st = phases[p - 1];
      if (st.kind === 'assessed' && atLeast(st.a, tau)) {
        lines.push(`Phase ${p}: attainment ${figure(st.a)} meets the threshold ${tau}, passed.`);
        reached = p;
      } else if (st.kind === 'na') {
        lines.push(`Phase ${p}: not applicable (every answer to its questions was n/a), passed.`);
        reached = p;
      } else if (st.kind === 'assessed') {
        lowest = model.questions
          .map((q, index) => ({ q, index, a: aq[index] }))
          .filter(({ q, a }) => q.block === b.id && q.phase === p && a !== null && !atLeast(a, tau))
          .map(({ index, a }) => ({ index, a: a as number }))
          .sort((x, y) => x.a - y.a || x.index - y.index)
          .slice(0, 3);
        const named = lowest.map((l) => `${model.questions[l.index].id} (${figure(l.a)})`);
        lines.push(
          `Phase ${p}: attainment ${figure(st.a)} is below the threshold ${tau}, so the walk stops here.` +
            (named.length > 0 ? ` The lowest questions are ${joinNames(named)}.` : ''),
        );
        break;
      } else {
        lines.push(
          `Phase ${p}: not assessed (no question of this phase has a scale answer), so the walk stops here.`,
        );
        break;
      }
    }
    const next = phases[reached];
    const nextA = next && next.kind === 'assessed' ? next.a : 0;
    const maturity = reached === n ? n : reached + nextA;
    let wsum = 0;
    let asum = 0;
    model.questions.forEach((q, i) => {
      if (q.block !== b.id || aq[i] === null) return;
      wsum += q.weight;
      asum += q.weight * (aq[i] as number);
    });
    const head =
      reached === 0
        ? `${b.name} has not reached phase 1.`
        : reached === n
          ? `${b.name} reached the top phase, phase ${n} (${phaseName(n)}): every phase passed.`
          : `${b.name} reached phase ${reached} (${phaseName(reached)}).`;
    const maturityText =
      reached === n
        ? `Maturity = ${n}, the top of the scale.`
        : `Maturity = reached phase + attainment of the next phase = ${reached} + ${figure(nextA)} = ${figure(maturity)}.`;
    return {
      id: b.id,
      name: b.name,
      reached,
      maturity,
      attainment: wsum > 0 ? asum / wsum : 0,
      assessed: wsum > 0,
      phases,
      explanation: `${head} ${lines.join(' ')} ${maturityText}`,
      maturityText,
      lowest,
    };
  });

  // Rule 5.
  const P = Math.min(...blocks.map((b) => b.reached));
  const bottleneck = P === n ? [] : blocks.filter((b) => b.reached === P).map((b) => b.name);
  let org =
    P === 0
      ? 'The organisation is not yet at phase 1.'
      : `The organisation is in phase ${P} (${phaseName(P)}).`;
  org +=
    " The model moves as one: the organisation's phase is the lowest phase reached by any building block.";
  if (P === n) {
    org += ' Every block passed every phase, so there is no bottleneck.';
  } else {
    const verb = bottleneck.length === 1 ? 'is' : 'are';
    org +=
      P === 0
        ? ` ${joinNames(bottleneck)} ${verb} below phase 1 (the bottleneck).`
        : ` ${joinNames(bottleneck)} ${verb} at phase ${P} (the bottleneck).`;
    const ahead = blocks.filter((b) => b.reached > P);
    if (ahead.length > 0) {
      const s = joinNames(ahead.map((b) => `${b.name} reached phase ${b.reached}`));
      org += ` ${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
    }
    const needs = blocks
      .filter((b) => b.reached === P)
      .map((b) => {
        const st = b.phases[P];
        return st && st.kind === 'assessed'
          ? `${b.name} (now ${figure(st.a)})`
          : `${b.name} (not assessed yet)`;
      });
    org += ` To enter phase ${P + 1}, phase ${P + 1} attainment must reach ${tau} in ${joinNames(needs)}.`;
  }

  // Rule 8.
  const actions: ActionScore[] = [];
  const notYetAssessed: Score['notYetAssessed'] = [];
  model.questions.forEach((q, i) => {
    const b = blocks.find((x) => x.id === q.block)!;
    const a = aq[i];
    if (a === null) {
      if (q.phase === P + 1) notYetAssessed.push({ block: q.block, question: q.id, text: q.text, phase: q.phase });
      return;
    }
    if (atLeast(a, tau)) return;
    let tier = 0;
    let why = '';
    if (q.phase <= P + 1) {
      tier = 1;
      why = `Tier 1 (holds the organisation back): phase ${q.phase} is at most the organisation's phase + 1 = ${P + 1}, and the question's attainment ${figure(a)} is below the threshold ${tau}.`;
    } else if (b.reached > P && q.phase === b.reached + 1) {
      tier = 2;
      why = `Tier 2 (next for a block ahead of the organisation): ${b.name} reached phase ${b.reached} > ${P}, this question belongs to its next phase ${q.phase}, and its attainment ${figure(a)} is below the threshold ${tau}.`;
    } else {
      return;
    }
    const priority = (tau - a) * q.weight;
    actions.push({
      tier,
      block: q.block,
      block_name: b.name,
      question: q.id,
      text: q.text,
      phase: q.phase,
      attainment: a,
      priority,
      recommendation: q.recommendation,
      explanation: `${why} Priority = (threshold - attainment) × weight = (${tau} - ${figure(a)}) × ${q.weight.toFixed(2)} = ${figure(priority)}.`,
    });
  });
  const order = new Map(model.questions.map((q, i) => [q.id, i]));
  actions.sort(
    (x, y) =>
      x.tier - y.tier || y.priority - x.priority || order.get(x.question)! - order.get(y.question)!,
  );

  return { phase: P, bottleneck, blocks, organisation: org, actions, notYetAssessed, anyScale, questions: aq };
}

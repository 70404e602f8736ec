// The questionnaire's moves, as pure functions: which questions the interview offers
// (the backend says which ones the respondent's role group is asked; the interviewer
// may show the others too), and where Next, Previous and an answer go among them.
// Indices are always indices in the model (`model.questions`), in model order.

/** Whether the backend marks question `i` as asked (a missing entry counts as asked). */
export function isAsked(asked: readonly boolean[], i: number): boolean {
  return asked[i] !== false;
}

/** Whether some question of the `count` is not asked of the respondent (so the
 *  "show the other questions" toggle has something to show). */
export function someNotAsked(asked: readonly boolean[], count: number): boolean {
  for (let i = 0; i < count; i++) if (!isAsked(asked, i)) return true;
  return false;
}

/** The indices the interview moves through, in model order: the asked questions, or
 *  every question when `showAll`. */
export function navigable(asked: readonly boolean[], count: number, showAll: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) if (showAll || isAsked(asked, i)) out.push(i);
  return out;
}

/** The navigable index after `current` (`null` at the end). `current` itself need not
 *  be navigable (a question the interviewer just hid). */
export function nextIndex(order: readonly number[], current: number): number | null {
  for (const i of order) if (i > current) return i;
  return null;
}

/** The navigable index before `current` (`null` at the start). */
export function prevIndex(order: readonly number[], current: number): number | null {
  for (let k = order.length - 1; k >= 0; k--) if (order[k] < current) return order[k];
  return null;
}

/** `current` when it is navigable; else the next navigable index, else the previous
 *  one; `current` when nothing is navigable. */
export function snap(order: readonly number[], current: number): number {
  if (order.includes(current)) return current;
  return nextIndex(order, current) ?? prevIndex(order, current) ?? current;
}

/** Where the interview opens: the backend's resume point (the first unanswered asked
 *  question, or 0), brought onto a navigable question. */
export function startIndex(order: readonly number[], resume: number, count: number): number {
  const clamped = Math.min(Math.max(0, resume), Math.max(0, count - 1));
  return snap(order, clamped);
}

/** Where an answer to `current` moves on to: the next navigable question; after the
 *  last one, the first navigable question still unanswered; else nowhere (`null`). */
export function afterAnswer(order: readonly number[], current: number, answered: (i: number) => boolean): number | null {
  const next = nextIndex(order, current);
  if (next !== null) return next;
  const open = order.find((i) => i !== current && !answered(i));
  return open ?? null;
}

/** "question N of M": `current`'s 1-based place among the navigable questions (0 when
 *  it is not one of them) and how many there are. */
export function position(order: readonly number[], current: number): { n: number; of: number } {
  return { n: order.indexOf(current) + 1, of: order.length };
}

/** Every asked question has an answer (`false` when none is asked). */
export function allAskedAnswered(asked: readonly boolean[], answered: readonly boolean[]): boolean {
  let any = false;
  for (let i = 0; i < answered.length; i++) {
    if (!isAsked(asked, i)) continue;
    any = true;
    if (!answered[i]) return false;
  }
  return any;
}

/** Questions in model order, grouped by block (model order) and, when `byPhase`, by
 *  phase within the block (every phase, in model order, even one with no item here);
 *  only the `order` indices. A block with no question in `order` keeps its place with
 *  no items. */
export function groupQuestions<B extends { id: string }, P extends { number: number }>(
  blocks: readonly B[],
  phases: readonly P[],
  questions: readonly { block: string; phase: number }[],
  order: readonly number[],
  byPhase: boolean,
): { block: B; bi: number; groups: { phase: P | null; items: number[] }[] }[] {
  return blocks.map((block, bi) => {
    const inBlock = order.filter((i) => questions[i]?.block === block.id);
    const groups = byPhase
      ? phases.map((p) => ({ phase: p as P | null, items: inBlock.filter((i) => questions[i].phase === p.number) }))
      : [{ phase: null, items: inBlock }];
    return { block, bi, groups };
  });
}

/** The respondent's completion computed on the screen, from the answers it holds (the
 *  backend's own count replaces it after every saved answer): only the questions the
 *  respondent is asked count, overall and per block. */
export function localProgress(
  blocks: readonly { id: string }[],
  questions: readonly { block: string }[],
  asked: readonly boolean[],
  answered: readonly boolean[],
): { answered: number; total: number; blocks: { block: string; answered: number; total: number }[] } {
  const counted = questions.map((_, i) => i).filter((i) => isAsked(asked, i));
  const done = (idx: number[]) => idx.filter((i) => answered[i] === true).length;
  return {
    answered: done(counted),
    total: counted.length,
    blocks: blocks.map((b) => {
      const idx = counted.filter((i) => questions[i].block === b.id);
      return { block: b.id, answered: done(idx), total: idx.length };
    }),
  };
}

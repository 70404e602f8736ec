import { describe, expect, it } from 'vitest';
import { answeredByBlock, answeredSummary, fullyAnswered } from './answered';
import type { ModelView } from './types';
// The default model as the real API sends it (crates/cxm-api/tests/ui_fixtures_devserver.rs).
import modelJson from './fixtures/default-model-view.json';

const model: ModelView = modelJson;
const n = model.questions.length;

describe('answered per question', () => {
  it('groups the counts by block and phase, in the model order', () => {
    const counts = model.questions.map((_, i) => (i === 0 ? 2 : 3));
    const asked = model.questions.map(() => 3);
    const blocks = answeredByBlock(model, counts, asked);
    expect(blocks.map((b) => b.id)).toEqual(model.blocks.map((b) => b.id));
    expect(blocks[0].phases.map((p) => p.phase)).toEqual([1, 2, 3, 4, 5]);
    expect(blocks[0].phases[0].name).toBe(model.phases[0].name);
    expect(blocks[0].phases[0].questions[0]).toMatchObject({ index: 0, id: model.questions[0].id, answered: 2, asked: 3, complete: false });
    expect(blocks[0].total).toBe(model.questions.filter((q) => q.block === model.blocks[0].id).length);
    expect(blocks[0].asked).toBe(blocks[0].total);
    expect(blocks[0].complete).toBe(blocks[0].total - 1);
    expect(fullyAnswered(counts, asked)).toBe(n - 1);
    expect(fullyAnswered(counts, model.questions.map(() => 0))).toBe(0);
  });

  it('calls a question complete when everyone asked it answered it, not everyone', () => {
    // Three respondents; question 0 is asked of one of them, question 1 of none.
    const asked = model.questions.map((_, i) => (i === 0 ? 1 : i === 1 ? 0 : 3));
    const counts = model.questions.map((_, i) => (i === 0 ? 1 : i === 1 ? 0 : i === 2 ? 2 : 3));
    const blocks = answeredByBlock(model, counts, asked);
    const [q0, q1, q2] = blocks[0].phases.flatMap((p) => p.questions).sort((a, b) => a.index - b.index);
    expect(q0).toMatchObject({ answered: 1, asked: 1, complete: true });
    expect(q1).toMatchObject({ answered: 0, asked: 0, complete: false });
    expect(q2).toMatchObject({ answered: 2, asked: 3, complete: false });
    expect(blocks[0].asked).toBe(blocks[0].total - 1);
    expect(blocks[0].complete).toBe(blocks[0].total - 2);
    expect(fullyAnswered(counts, asked)).toBe(n - 2);
  });

  it('sums it up in one line', () => {
    const all = model.questions.map(() => 4);
    expect(answeredSummary(all, all, 4)).toBe(`${n} of ${n} questions answered by all 4 respondents`);
    const some = all.map((c, i) => (i < 2 ? 0 : c));
    expect(answeredSummary(some, all, 4)).toBe(`${n - 2} of ${n} questions answered by all 4 respondents · 2 questions not answered by anyone yet`);
    const asked = all.map((c, i) => (i === 0 ? 0 : i < 5 ? 1 : c));
    const counts = all.map((c, i) => (i === 0 ? 0 : i === 1 ? 0 : i < 5 ? 1 : c));
    expect(answeredSummary(counts, asked, 4)).toBe(
      `${n - 2} of ${n - 1} questions answered by every respondent asked them · 1 question not answered by anyone yet · 1 question asked of none of these respondents`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { answeredByBlock, fullyAnswered } from './answered';
import type { ModelView } from './types';
// The default model as the real API sends it (crates/cxm-api/tests/ui_fixtures_devserver.rs).
import modelJson from './fixtures/default-model-view.json';

const model: ModelView = modelJson;

describe('answered per question', () => {
  it('groups the counts by block and phase, in the model order', () => {
    const counts = model.questions.map((_, i) => (i === 0 ? 2 : 3));
    const blocks = answeredByBlock(model, counts, 3);
    expect(blocks.map((b) => b.id)).toEqual(model.blocks.map((b) => b.id));
    expect(blocks[0].phases.map((p) => p.phase)).toEqual([1, 2, 3, 4, 5]);
    expect(blocks[0].phases[0].name).toBe(model.phases[0].name);
    expect(blocks[0].phases[0].questions[0]).toMatchObject({ index: 0, id: model.questions[0].id, answered: 2 });
    expect(blocks[0].total).toBe(model.questions.filter((q) => q.block === model.blocks[0].id).length);
    expect(blocks[0].complete).toBe(blocks[0].total - 1);
    expect(fullyAnswered(counts, 3)).toBe(model.questions.length - 1);
    expect(fullyAnswered(counts, 0)).toBe(0);
  });
});

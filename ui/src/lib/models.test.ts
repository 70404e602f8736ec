import { describe, expect, it } from 'vitest';
import { formatImportedAt, groupModels, problemPlace } from './models';
import type { ApiError, ModelVersionInfo } from './types';
// `import_model`'s errors for broken model files (crates/cxm-api/tests/ui_fixtures.rs).
import errorsJson from './fixtures/model-import-errors.json';
// The `broken` file is the default model (the newest built-in version) with its first
// question's phase and weight made wrong; where they stand depends on that file's length.
import defaultModelToml from '../../../crates/cxm-domain/models/cx-maturity-v2.toml?raw';

const errors = errorsJson as Record<'broken' | 'syntax' | 'not_text', ApiError>;

/** The 1-based line of the first `phase = 1` directly followed by `weight = 2.0`. */
function firstQuestionPhaseLine(toml: string): number {
  const lines = toml.split('\n');
  const at = lines.findIndex((line, i) => line === 'phase = 1' && lines[i + 1] === 'weight = 2.0');
  expect(at).toBeGreaterThan(0);
  return at + 1;
}

describe('model problems', () => {
  it('come placed: file, line, column and field apart from what is wrong', () => {
    const broken = errors.broken;
    const line = firstQuestionPhaseLine(defaultModelToml); // 112 in version 2
    expect(broken.code).toBe('invalid_model');
    expect(broken.problems).toEqual([
      { file: 'my-method.toml', line, column: 9, field: 'questions[0].phase', message: 'phase 9 does not exist (phases are 1..5)' },
      { file: 'my-method.toml', line: line + 1, column: 10, field: 'questions[0].weight', message: 'must be from 0.1 to 100, found -1' },
    ]);
    expect(problemPlace(broken.problems![0])).toBe(`my-method.toml:${line}:`);
    expect(errors.syntax.problems).toEqual([
      { file: 'syntax.toml', line: 2, column: 6, field: null, message: 'string values must be quoted, expected literal string' },
    ]);
    expect(problemPlace(errors.not_text.problems![0])).toBe('binary.toml:');
    expect(errors.not_text.problems![0]).toMatchObject({ line: null, field: null });
  });

  it('say what the message says, one problem per line', () => {
    for (const e of Object.values(errors)) {
      const lines = (e.problems ?? []).map((p) => `${problemPlace(p)} ${p.field ? `${p.field}: ` : ''}${p.message}`);
      expect(lines.join('\n')).toBe(e.message);
    }
  });
});

describe('model versions', () => {
  const v = (model_id: string, version: number, extra: Partial<ModelVersionInfo> = {}): ModelVersionInfo => ({
    key: `${model_id}@${version}`,
    model_id,
    version,
    title: `${model_id} v${version}`,
    questions: 60,
    phases: 5,
    blocks: 4,
    rounds: 0,
    imported_at: '2026-09-01T10:00:00Z',
    is_default: false,
    builtin: false,
    ...extra,
  });

  it('groups versions by model, newest first', () => {
    const g = groupModels([v('cx-maturity', 1), v('cx-maturity', 2), v('acme', 1)]);
    expect(g.map((x) => x.model_id)).toEqual(['cx-maturity', 'acme']);
    expect(g[0].versions.map((x) => x.version)).toEqual([2, 1]);
    expect(g[0].title).toBe('cx-maturity v2');
  });

  it('formats when a version was imported', () => {
    expect(formatImportedAt('2026-09-01T10:05:00Z')).toBe('1 Sep 2026, 10:05 UTC');
    expect(formatImportedAt('yesterday')).toBe('yesterday');
  });
});

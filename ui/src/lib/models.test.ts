import { describe, expect, it } from 'vitest';
import { formatImportedAt, groupModels, modelProblems } from './models';
import type { ModelVersionInfo } from './types';

describe('model problems', () => {
  it('reads file, line, field and message from each line', () => {
    const p = modelProblems(
      'my-method.toml:98: questions[0].phase: phase 9 does not exist (phases are 1..5)\n' +
        'my-method.toml:2: string values must be quoted, expected literal string\n' +
        'my-method.toml: blocks: at least one block is needed\n\n',
    );
    expect(p).toHaveLength(3);
    expect(p[0]).toMatchObject({ file: 'my-method.toml', line: 98, field: 'questions[0].phase', message: 'phase 9 does not exist (phases are 1..5)' });
    expect(p[1]).toMatchObject({ file: 'my-method.toml', line: 2, field: null, message: 'string values must be quoted, expected literal string' });
    expect(p[2]).toMatchObject({ file: 'my-method.toml', line: null, field: 'blocks' });
    expect(p[0].raw).toBe('my-method.toml:98: questions[0].phase: phase 9 does not exist (phases are 1..5)');
  });

  it('keeps a line it cannot place as the message', () => {
    expect(modelProblems('the file is not UTF-8 text')).toEqual([
      { file: null, line: null, field: null, message: 'the file is not UTF-8 text', raw: 'the file is not UTF-8 text' },
    ]);
    expect(modelProblems('m.toml:1: missing field `format`')[0]).toMatchObject({ line: 1, field: null, message: 'missing field `format`' });
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

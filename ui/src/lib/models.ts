// Model versions: the list grouped by model, and an invalid model file's problems.

import type { ModelVersionInfo } from './types';

/** One problem of an invalid model file: `file:line: field: message` (line and field
 *  optional), as `import_model` reports them, one per line. */
export interface ModelProblem {
  file: string | null;
  line: number | null;
  field: string | null;
  message: string;
  /** The line as the backend wrote it. */
  raw: string;
}

const PLACE = /^([^:\s][^:]*?)(?::(\d+))?: (.*)$/;
const FIELD = /^([A-Za-z_][A-Za-z0-9_.[\]-]*): (.+)$/;

/** The problems in an `invalid_model` message, one per non-empty line. */
export function modelProblems(message: string): ModelProblem[] {
  return message
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((raw) => {
      const p = PLACE.exec(raw);
      if (!p || !/\.toml$/i.test(p[1])) return { file: null, line: null, field: null, message: raw, raw };
      const rest = p[3];
      const f = FIELD.exec(rest);
      return {
        file: p[1],
        line: p[2] === undefined ? null : Number(p[2]),
        field: f ? f[1] : null,
        message: f ? f[2] : rest,
        raw,
      };
    });
}

export interface ModelGroup {
  model_id: string;
  title: string;
  /** Newest version first. */
  versions: ModelVersionInfo[];
}

/** The versions grouped by model id (in the list's order of ids), newest first. */
export function groupModels(list: ModelVersionInfo[]): ModelGroup[] {
  const groups: ModelGroup[] = [];
  for (const m of list) {
    let g = groups.find((x) => x.model_id === m.model_id);
    if (!g) {
      g = { model_id: m.model_id, title: m.title, versions: [] };
      groups.push(g);
    }
    g.versions.push(m);
  }
  for (const g of groups) {
    g.versions.sort((a, b) => b.version - a.version);
    g.title = g.versions[0].title;
  }
  return groups;
}

/** "2026-09-01T10:00:00Z" → "1 Sep 2026, 10:00 UTC". */
export function formatImportedAt(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) return iso;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(m[3])} ${months[Number(m[2]) - 1]} ${m[1]}, ${m[4]}:${m[5]} UTC`;
}

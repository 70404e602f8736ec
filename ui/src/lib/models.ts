// Model versions: the list grouped by model, and where an invalid model file's
// problems are.

import type { ModelProblem, ModelVersionInfo } from './types';

/** Where a problem is, as the list shows it before the field: "my-method.toml:98:", or
 *  "my-method.toml:" for a problem of the whole file. */
export function problemPlace(p: ModelProblem): string {
  return `${p.file}${p.line !== null ? `:${p.line}` : ''}:`;
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

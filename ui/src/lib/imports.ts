// Words for imports and exports: where a problem of a responses file is, what an
// export wrote, and the title of a refused engagement file.

import type {
  ConcurrentEdit,
  EngagementPreview,
  EngagementPreviewRound,
  ErrorCode,
  ImportIssue,
  ResponsesPreview,
  RoundExportFormat,
} from './types';
import { plural } from './format';

/** "Line 3, column 7 (STR-1.4)", "Line 1", or "The round" for a problem not in the file. */
export function issuePlace(i: ImportIssue): string {
  if (i.line === null) return 'The round';
  let place = `Line ${i.line}`;
  if (i.column !== null) place += `, column ${i.column}`;
  if (i.column_name) place += ` (${i.column_name})`;
  return place;
}

/** "3 respondents with 48 answers" (what the import adds). */
export function previewSummary(p: ResponsesPreview): string {
  return `${plural(p.respondents.length, 'respondent')} with ${plural(p.answers, 'answer')}`;
}

/** The button label of each round export. */
export const EXPORT_LABELS: Record<RoundExportFormat, string> = {
  answers_csv: 'Export answers (CSV)',
  answers_json: 'Export answers (JSON)',
  actions_csv: 'Export actions (CSV)',
};

/** What an export wrote, in words. */
export function exportedText(format: RoundExportFormat | 'xlsform'): string {
  switch (format) {
    case 'xlsform':
      return 'The survey form was saved as an XLSForm: upload it to ODK Central or KoboToolbox as a new form.';
    case 'answers_csv':
      return 'The answers were saved as CSV, in the layout “Import responses…” reads.';
    case 'answers_json':
      return 'The answers and notes were saved as JSON.';
    case 'actions_csv':
      return 'The next-phase actions were saved as CSV, for an action plan.';
  }
}

/** The heading of a refused engagement file, by error code. */
export function engagementErrorTitle(code: ErrorCode): string {
  switch (code) {
    case 'not_an_engagement_file':
      return 'This is not a CX Maturity engagement file';
    case 'newer_engagement_format':
      return 'This file comes from a newer version of CX Maturity';
    case 'damaged_engagement_file':
      return 'This engagement file is damaged';
    case 'conflict':
      return 'A model in this file conflicts with one stored here';
    default:
      return 'The engagement could not be imported';
  }
}

/** A count as the import summaries write it: "1,593 answers", "1 round". */
function counted(k: number, one: string, many: string): string {
  return `${k.toLocaleString('en-GB')} ${k === 1 ? one : many}`;
}

/** "a, b and c". */
function listed(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** What an engagement file's preview says it brings: "2 rounds, 30 respondents and 1,593 answers". */
export function engagementBrings(p: { rounds: unknown[]; respondents: number; answers: number }): string {
  return `${counted(p.rounds.length, 'round', 'rounds')}, ${counted(p.respondents, 'respondent', 'respondents')} and ${counted(p.answers, 'answer', 'answers')}`;
}

/** The counts a merge reports, in the preview and in the import's outcome. */
export interface MergeTotals {
  /** Rounds added (new here). */
  rounds_added: number;
  respondents: number;
  answers: number;
  respondents_changed: number;
  respondents_deleted: number;
  answers_changed: number;
  rounds_deleted: number;
}

/** A preview's totals (the rounds it adds are those marked `added`). */
export function previewTotals(p: EngagementPreview): MergeTotals {
  return {
    rounds_added: p.rounds.filter((r) => r.added).length,
    respondents: p.respondents,
    answers: p.answers,
    respondents_changed: p.respondents_changed,
    respondents_deleted: p.respondents_deleted,
    answers_changed: p.answers_changed,
    rounds_deleted: p.rounds_deleted,
  };
}

/** What a merge adds, changes and deletes, in one line: "1 respondent and 12 answers
 *  added; 2 answers or notes changed; 1 round deleted". Empty when the counts are all
 *  zero (a round closed or reopened, say, changes no count). */
export function mergeChanges(t: MergeTotals): string {
  const added = [
    t.rounds_added ? counted(t.rounds_added, 'round', 'rounds') : '',
    t.respondents ? counted(t.respondents, 'respondent', 'respondents') : '',
    t.answers ? counted(t.answers, 'answer', 'answers') : '',
  ].filter(Boolean);
  const changed = [
    t.respondents_changed ? counted(t.respondents_changed, 'respondent', 'respondents') : '',
    t.answers_changed ? counted(t.answers_changed, 'answer or note', 'answers or notes') : '',
  ].filter(Boolean);
  const deleted = [
    t.rounds_deleted ? counted(t.rounds_deleted, 'round', 'rounds') : '',
    t.respondents_deleted ? counted(t.respondents_deleted, 'respondent', 'respondents') : '',
  ].filter(Boolean);
  const parts: string[] = [];
  if (added.length) parts.push(`${listed(added)} added`);
  if (changed.length) parts.push(`${listed(changed)} changed`);
  if (deleted.length) parts.push(`${listed(deleted)} deleted`);
  return parts.join('; ');
}

/** One round of a merge preview, the cells of its row. */
export interface MergeRoundCells {
  /** "New", "Deleted" or `null` (a round stored here already). */
  mark: 'New' | 'Deleted' | null;
  /** "Open", "Closed", "Closed on Ben's laptop", "Reopened on Ben's laptop". */
  status: string;
  /** "1 respondent, 12 answers", or "—". */
  added: string;
  changed: string;
  deleted: string;
}

/** The cells of a round's row in a merge preview. `from`: who wrote the file. */
export function mergeRoundCells(r: EngagementPreviewRound, from: string | null): MergeRoundCells {
  const where = from ? `on ${from}` : 'on the other laptop';
  const both = (people: number, answers: number, answerWord: [string, string] = ['answer', 'answers']) =>
    [people ? counted(people, 'respondent', 'respondents') : '', answers ? counted(answers, ...answerWord) : '']
      .filter(Boolean)
      .join(', ') || '—';
  const open = r.status === 'closed' ? 'Closed' : 'Open';
  return {
    mark: r.deleted ? 'Deleted' : r.added ? 'New' : null,
    status: r.deleted ? '—' : r.status_changed ? `${r.status === 'closed' ? 'Closed' : 'Reopened'} ${where}` : open,
    added: r.deleted ? '—' : both(r.respondents, r.answers),
    changed: r.deleted ? '—' : both(r.respondents_changed, r.answers_changed, ['answer or note', 'answers or notes']),
    deleted: r.deleted ? 'The round, with its respondents' : both(r.respondents_deleted, 0),
  };
}

/** The preview's heading words for a merge: what and where from. */
export function mergeLead(p: Pick<EngagementPreview, 'imported_as' | 'from'>): string {
  return `${p.from ? `Changes from ${p.from}` : 'Changes from another laptop'} to “${p.imported_as}”, which is here already: the file is merged into it, not added as a new organisation.`;
}

/** What happens to a concurrent edit, and what to do. */
export const CONCURRENT_RULE =
  'The most recent change is kept; the other stays in the answer’s history. Check with your colleague or the respondent, and change the answer if needed.';

/** What the imported organisation's page says once after an engagement import. */
export function importedSummary(out: {
  name: string;
  renamed: boolean;
  rounds: number;
  respondents: number;
  answers: number;
  models_added: string[];
  merged?: boolean;
  changed?: boolean;
  respondents_changed?: number;
  respondents_deleted?: number;
  answers_changed?: number;
  rounds_deleted?: number;
  concurrent?: ConcurrentEdit[];
  warnings?: string[];
}): string {
  const n = counted;
  let text: string;
  if (out.merged) {
    const what = mergeChanges({
      rounds_added: out.rounds,
      respondents: out.respondents,
      answers: out.answers,
      respondents_changed: out.respondents_changed ?? 0,
      respondents_deleted: out.respondents_deleted ?? 0,
      answers_changed: out.answers_changed ?? 0,
      rounds_deleted: out.rounds_deleted ?? 0,
    });
    text = !out.changed
      ? 'Merged the engagement file: everything in it was here already, so nothing changed.'
      : `Merged the engagement file into this organisation: ${what || 'rounds updated'}.`;
    const concurrent = out.concurrent ?? [];
    if (concurrent.length > 0) {
      const which = concurrent.length <= 3 ? ` (${concurrent.map((c) => `${c.respondent}, ${c.question} in ${c.round}`).join('; ')})` : '';
      text += ` ${n(concurrent.length, 'concurrent edit', 'concurrent edits')}${which}: the most recent change was kept, the other is in the answer’s history; check with your colleague or the respondent.`;
    }
  } else {
    text = `Imported from the engagement file: ${n(out.rounds, 'round', 'rounds')}, ${n(out.respondents, 'respondent', 'respondents')} and ${n(out.answers, 'answer', 'answers')}.`;
  }
  if (out.models_added.length > 0) text += ` New model ${out.models_added.length === 1 ? 'version' : 'versions'}: ${out.models_added.join(', ')}.`;
  if (out.renamed) text += ` An organisation of that name was already here, so this one is named “${out.name}”; rename it if you like.`;
  for (const w of out.warnings ?? []) text += ` ${w.endsWith('.') ? w : `${w}.`}`;
  return text;
}

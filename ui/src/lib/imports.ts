// Words for imports and exports: where a problem of a responses file is, what an
// export wrote, and the title of a refused engagement file.

import type { ErrorCode, ImportIssue, ResponsesPreview, RoundExportFormat } from './types';
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

/** What the imported organisation's page says once after an engagement import. */
/** A count as the import summaries write it: "1,593 answers", "1 round". */
function counted(k: number, one: string, many: string): string {
  return `${k.toLocaleString('en-GB')} ${k === 1 ? one : many}`;
}

/** What an engagement file's preview says it brings: "2 rounds, 30 respondents and 1,593 answers". */
export function engagementBrings(p: { rounds: unknown[]; respondents: number; answers: number }): string {
  return `${counted(p.rounds.length, 'round', 'rounds')}, ${counted(p.respondents, 'respondent', 'respondents')} and ${counted(p.answers, 'answer', 'answers')}`;
}

export function importedSummary(out: {
  name: string;
  renamed: boolean;
  rounds: number;
  respondents: number;
  answers: number;
  models_added: string[];
}): string {
  const n = counted;
  let text = `Imported from the engagement file: ${n(out.rounds, 'round', 'rounds')}, ${n(out.respondents, 'respondent', 'respondents')} and ${n(out.answers, 'answer', 'answers')}.`;
  if (out.models_added.length > 0) text += ` New model ${out.models_added.length === 1 ? 'version' : 'versions'}: ${out.models_added.join(', ')}.`;
  if (out.renamed) text += ` An organisation of that name was already here, so this one is named “${out.name}”; rename it if you like.`;
  return text;
}

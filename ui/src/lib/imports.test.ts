import { describe, expect, it } from 'vitest';
import { engagementBrings, engagementErrorTitle, exportedText, importedSummary, issuePlace, previewSummary } from './imports';

describe('import and export words', () => {
  it('places a problem by line and column, or on the round', () => {
    expect(issuePlace({ line: 3, column: 7, column_name: 'STR-1.4', message: '' })).toBe('Line 3, column 7 (STR-1.4)');
    expect(issuePlace({ line: 1, column: null, column_name: null, message: '' })).toBe('Line 1');
    expect(issuePlace({ line: 5, column: 4, column_name: null, message: '' })).toBe('Line 5, column 4');
    expect(issuePlace({ line: null, column: null, column_name: null, message: '' })).toBe('The round');
  });

  it('sums up a preview', () => {
    const p = {
      token: 1,
      file_name: 'x.csv',
      source: 'csv' as const,
      already_imported: 0,
      left_out: [],
      ignored_columns: [],
      round: 1,
      respondents: [{ line: 2, name: 'A', role_group: 'manager', role_name: 'Manager', department: null, answers: 1 }],
      blocks: [],
      answers: 1,
      issues: [],
      more_issues: false,
    };
    expect(previewSummary(p)).toBe('1 respondent with 1 answer');
  });

  it('names refused engagement files and exports', () => {
    expect(engagementErrorTitle('damaged_engagement_file')).toMatch(/damaged/);
    expect(engagementErrorTitle('newer_engagement_format')).toMatch(/newer version/);
    expect(engagementErrorTitle('io')).toBe('The engagement could not be imported');
    expect(engagementBrings({ rounds: [1, 2], respondents: 30, answers: 1593 })).toBe('2 rounds, 30 respondents and 1,593 answers');
    expect(engagementBrings({ rounds: [1], respondents: 1, answers: 0 })).toBe('1 round, 1 respondent and 0 answers');
    expect(exportedText('actions_csv')).toMatch(/action plan/);
    expect(exportedText('xlsform')).toMatch(/ODK Central or KoboToolbox/);
  });

  it('says what an engagement import brought, and why the name changed', () => {
    const out = { name: 'Acme (imported 2026-11-23)', renamed: false, rounds: 2, respondents: 30, answers: 1780, models_added: [] };
    expect(importedSummary(out)).toBe('Imported from the engagement file: 2 rounds, 30 respondents and 1,780 answers.');
    expect(importedSummary({ ...out, rounds: 1, renamed: true, models_added: ['acme@2'] })).toBe(
      'Imported from the engagement file: 1 round, 30 respondents and 1,780 answers. New model version: acme@2. ' +
        'An organisation of that name was already here, so this one is named “Acme (imported 2026-11-23)”; rename it if you like.',
    );
  });
});

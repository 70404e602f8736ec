import { describe, expect, it } from 'vitest';
import {
  engagementBrings,
  engagementErrorTitle,
  exportedText,
  importedSummary,
  issuePlace,
  mergeChanges,
  mergeLead,
  mergeRoundCells,
  previewSummary,
} from './imports';
import type { EngagementPreviewRound } from './types';

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

  it('says what a merge adds, changes and deletes', () => {
    const zero = { rounds_added: 0, respondents: 0, answers: 0, respondents_changed: 0, respondents_deleted: 0, answers_changed: 0, rounds_deleted: 0 };
    expect(mergeChanges(zero)).toBe('');
    expect(mergeChanges({ ...zero, respondents: 1, answers: 1593 })).toBe('1 respondent and 1,593 answers added');
    expect(mergeChanges({ ...zero, rounds_added: 1, respondents: 2, answers: 40, answers_changed: 1, rounds_deleted: 1, respondents_deleted: 3 })).toBe(
      '1 round, 2 respondents and 40 answers added; 1 answer or note changed; 1 round and 3 respondents deleted',
    );
    expect(mergeChanges({ ...zero, respondents_changed: 1, answers_changed: 2 })).toBe('1 respondent and 2 answers or notes changed');
    expect(mergeLead({ imported_as: 'Acme', from: 'Ben’s laptop' })).toMatch(/^Changes from Ben’s laptop to “Acme”, which is here already/);
    expect(mergeLead({ imported_as: 'Acme', from: null })).toMatch(/^Changes from another laptop/);
  });

  it('fills a merged round’s row: new, deleted, closed or reopened elsewhere', () => {
    const round: EngagementPreviewRound = {
      title: 'Review',
      date: '2026-09-08',
      status: 'open',
      model: 'cx-maturity@2',
      added: false,
      deleted: false,
      status_changed: false,
      respondents: 1,
      answers: 12,
      respondents_changed: 0,
      respondents_deleted: 2,
      answers_changed: 3,
    };
    expect(mergeRoundCells(round, 'Ben’s laptop')).toEqual({
      mark: null,
      status: 'Open',
      added: '1 respondent, 12 answers',
      changed: '3 answers or notes',
      deleted: '2 respondents',
    });
    expect(mergeRoundCells({ ...round, status: 'closed', status_changed: true }, 'Ben’s laptop').status).toBe('Closed on Ben’s laptop');
    expect(mergeRoundCells({ ...round, status_changed: true }, null).status).toBe('Reopened on the other laptop');
    expect(mergeRoundCells({ ...round, added: true }, null).mark).toBe('New');
    const gone = mergeRoundCells({ ...round, deleted: true }, null);
    expect([gone.mark, gone.added, gone.changed, gone.deleted]).toEqual(['Deleted', '—', '—', 'The round, with its respondents']);
    expect(mergeRoundCells({ ...round, respondents: 0, answers: 0, answers_changed: 0, respondents_deleted: 0 }, null).added).toBe('—');
  });

  it('says what a merge did, with its concurrent edits and warnings', () => {
    const side = { answer: '2', note: null, at: '2026-12-03T10:44:41Z', by: 'Ben’s laptop' };
    const out = {
      name: 'Acme',
      renamed: false,
      rounds: 0,
      respondents: 1,
      answers: 1,
      models_added: [],
      merged: true,
      changed: true,
      respondents_changed: 0,
      respondents_deleted: 0,
      answers_changed: 2,
      rounds_deleted: 0,
      concurrent: [{ round: 'Review', respondent: 'Helen Marsh', question: 'STR-1.1', kept: side, replaced: [{ ...side, answer: '1' }] }],
      warnings: ['Two respondents of “Review” are named “Sam”'],
    };
    expect(importedSummary(out)).toBe(
      'Merged the engagement file into this organisation: 1 respondent and 1 answer added; 2 answers or notes changed. ' +
        '1 concurrent edit (Helen Marsh, STR-1.1 in Review): the most recent change was kept, the other is in the answer’s history; check with your colleague or the respondent. ' +
        'Two respondents of “Review” are named “Sam”.',
    );
    expect(importedSummary({ ...out, changed: false, respondents: 0, answers: 0, answers_changed: 0, concurrent: [], warnings: [] })).toBe(
      'Merged the engagement file: everything in it was here already, so nothing changed.',
    );
  });
});

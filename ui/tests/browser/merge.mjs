// A colleague's engagement file for the browser tests (issue 14): Anna's laptop (the
// demo, its six-month review open again; the page under test) exports Northwind
// Energy, Ben's laptop imports that file; then both change Helen Marsh's answer to
// STR-1.1 (Ben later: his is kept), Ben also her STR-1.2 and adds a respondent with one
// answer, and exports his file. Each laptop is a development server over its own
// database; the file passes between them as a person would carry it.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoIds, questionIds, scenario, tempFolder } from './harness.mjs';

/** A respondent of a round by name, on one server: its id. */
async function respondentId(server, round, name) {
  const r = (await server.api('round_page', { id: round })).respondents.find((x) => x.name === name);
  if (!r) throw new Error(`no respondent ${name} in round ${round}`);
  return r.id;
}

/**
 * Returns `{ anna, ids, helen, file, values: { was, annas, bens }, q1, q2, before, asked }`:
 * Anna's server (still running; the caller closes it), the demo's ids, Helen Marsh's
 * id on Anna's laptop, Ben's file, STR-1.1's value before and each laptop's change,
 * the model indices of STR-1.1 and STR-1.2, Helen's answers before the changes and
 * which questions she is asked.
 */
export async function colleagueFile() {
  const anna = await scenario('demo');
  const ids = await demoIds(anna);
  await anna.api('set_installation_name', { name: 'Anna’s laptop' });
  await anna.api('reopen_round', { id: ids.review });
  const annaFile = (await anna.api('export_engagement', { organisation: ids.org })).path;

  const ben = await scenario('empty');
  try {
    await ben.api('set_installation_name', { name: 'Ben’s laptop' });
    await ben.pick(annaFile);
    const first = await ben.api('choose_engagement');
    if (first.merge) throw new Error('Anna’s organisation was on Ben’s laptop already');
    await ben.api('import_previewed_engagement', { token: first.token });
    const [benOrg] = await ben.api('list_organisations', { includeArchived: false });
    const benReview = benOrg.rounds.find((r) => r.title === 'Six-month review').id;
    const helen = await respondentId(anna, ids.review, 'Helen Marsh');
    const benHelen = await respondentId(ben, benReview, 'Helen Marsh');

    const q = questionIds();
    const [q1, q2] = [q.indexOf('STR-1.1'), q.indexOf('STR-1.2')];
    const { answers: before, asked } = await anna.api('questionnaire', { respondent: helen });
    const was = Number(before[q1].value);
    const annas = String((was + 1) % 5);
    const bens = String((was + 2) % 5);
    await anna.api('set_answer', { respondent: helen, questionId: 'STR-1.1', value: annas });
    await new Promise((r) => setTimeout(r, 20)); // Ben's change is the later one
    await ben.api('set_answer', { respondent: benHelen, questionId: 'STR-1.1', value: bens });
    await ben.api('set_answer', { respondent: benHelen, questionId: 'STR-1.2', value: before[q2].value === 'dk' ? 'na' : 'dk' });
    await ben.api('add_respondent', {
      round: benReview,
      input: { name: 'Ravi Patel', role_group: 'manager', department: 'Claims', interview_date: null },
    });
    const ravi = await respondentId(ben, benReview, 'Ravi Patel');
    await ben.api('set_answer', { respondent: ravi, questionId: 'STR-1.1', value: '3' });
    const file = join(tempFolder('from-ben'), 'Northwind Energy - engagement.cxmx');
    copyFileSync((await ben.api('export_engagement', { organisation: benOrg.id })).path, file);
    return { anna, ids, helen, file, values: { was, annas, bens }, q1, q2, before, asked };
  } finally {
    await ben.close();
  }
}

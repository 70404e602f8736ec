// Two laptops and a team folder for the browser tests (issue 14): Anna's (the demo,
// the page under test) and Ben's, each a development server over its own database,
// exchanging through one temporary folder exactly as two installations of the app do.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoIds, scenario, tempFolder } from './harness.mjs';

/** The files in the team folder. */
export function folderFiles(folder) {
  return readdirSync(folder).sort();
}

/** A respondent of a round by name, on one server. */
export async function respondentByName(server, round, name) {
  const page = await server.api('round_page', { id: round });
  const r = page.respondents.find((x) => x.name === name);
  if (!r) throw new Error(`no respondent ${name} in round ${round}`);
  return r;
}

/** The round of an organisation by title, on one server. */
export async function roundByTitle(server, title) {
  const [org] = await server.api('list_organisations', { includeArchived: false });
  const r = org.rounds.find((x) => x.title === title);
  if (!r) throw new Error(`no round ${title}`);
  return { org: org.id, round: r.id };
}

/**
 * Anna (the demo, its six-month review open again) shares Northwind Energy in a team
 * folder and syncs; Ben's laptop (a new database) joins the folder and gets it. With
 * `ui: true` Anna's side is left for the test to do in the page (name, folder, share,
 * Sync now): only her database is prepared.
 * Returns `{ folder, anna, ben, ids, joinBen() }`: `joinBen()` does Ben's side once
 * Anna's file is in the folder.
 */
export async function twoLaptops({ ui = false } = {}) {
  const folder = tempFolder('team');
  const anna = await scenario('demo');
  const ids = await demoIds(anna);
  await anna.api('reopen_round', { id: ids.review });
  if (!ui) {
    await anna.api('set_installation_name', { name: 'Anna’s laptop' });
    await anna.api('set_team_folder', { folder });
    await anna.api('share_organisation', { organisation: ids.org, shared: true });
    await anna.api('sync_now');
  }
  let ben = null;
  async function joinBen() {
    ben = await scenario('empty');
    await ben.api('set_installation_name', { name: 'Ben’s laptop' });
    await ben.api('set_team_folder', { folder });
    const first = await ben.api('sync_now');
    if (first.received.length !== 1) throw new Error(`Ben did not get Anna's file: ${JSON.stringify(first)}`);
    return ben;
  }
  if (!ui) await joinBen();
  return { folder, anna, get ben() { return ben; }, ids, joinBen };
}

/**
 * The same answer changed on both laptops before they exchange (Anna first, Ben a
 * moment later, so Ben's is kept), and Ben adds a respondent with two answers; then
 * Ben syncs, writing his file. Returns what was changed.
 */
export async function concurrentChanges({ anna, ben, ids }) {
  const name = 'Sofia Lindqvist';
  const question = 'STR-1.1';
  const a = await respondentByName(anna, ids.review, name);
  // Two values, both different from the answer stored (a change to the same value
  // changes nothing).
  const { answers, model } = await anna.api('questionnaire', { respondent: a.id });
  const index = model.questions.findIndex((q) => q.id === question);
  const [annaValue, benValue] = ['0', '1', '2', '3', '4'].filter((v) => v !== answers[index].value);
  await anna.api('set_answer', { respondent: a.id, questionId: question, value: annaValue });
  // Ben's stamp must be later than Anna's (stamps have milliseconds).
  await new Promise((r) => setTimeout(r, 20));
  const { round: benRound } = await roundByTitle(ben, 'Six-month review');
  const b = await respondentByName(ben, benRound, name);
  await ben.api('set_answer', { respondent: b.id, questionId: question, value: benValue });
  const added = await ben.api('add_respondent', {
    round: benRound,
    input: { name: 'Jordan Ng', role_group: 'manager', department: 'Claims', interview_date: null },
  });
  await ben.api('set_answer', { respondent: added, questionId: 'STR-1.1', value: '2' });
  await ben.api('set_answer', { respondent: added, questionId: 'STR-1.2', value: 'dk' });
  const report = await ben.api('sync_now');
  if (report.files_written !== 1) throw new Error(`Ben wrote no file: ${JSON.stringify(report)}`);
  return { name, question, annaValue, benValue, added: 'Jordan Ng' };
}

/** A file in the folder that is not an engagement file (a sync service's half-written
 *  copy, say): skipped with its reason. */
export function corruptFile(folder, name = 'Northwind copy.cxmx') {
  const file = join(folder, name);
  writeFileSync(file, '{"format": "cx-maturity-engagement", "payload_sha256": "00", trunc');
  return file;
}

/** The organisation's UUID, from a file the folder holds (its payload). */
export function organisationUuid(file) {
  return JSON.parse(readFileSync(file, 'utf8')).payload.organisation.uuid;
}

import { describe, expect, it } from 'vitest';
import { createFakeBackend } from './fake';

describe('the fake backend', () => {
  it('starts empty, or with the demo, or with a database error', async () => {
    expect((await createFakeBackend().appStatus()).organisations).toBe(0);
    expect((await createFakeBackend({ seed: 'demo' }).listOrganisations(false))[0].name).toBe('Northwind Energy');
    expect((await createFakeBackend({ dbError: true }).appStatus()).error?.code).toBe('not_a_cxm_database');
  });

  it('runs an interview: answers move progress, results and the resume point', async () => {
    const b = createFakeBackend();
    const org = await b.createOrganisation('Acme');
    const page = await b.organisationPage(org);
    expect(page.models[0].phases).toBe(5);
    const round = await b.createRound({ organisation: org, title: 'Baseline', date: '2026-05-01', target_phase: 2, model: null, copy_respondents_from: null });
    const rp = await b.roundPage(round);
    expect(rp.model.questions).toHaveLength(60);
    const who = await b.addRespondent(round, { name: 'Jo', role_group: 'manager', department: 'Ops', interview_date: null });
    const q = await b.questionnaire(who);
    expect(q.resume_index).toBe(0);
    let progress = await b.setAnswer(who, q.model.questions[0].id, '4');
    expect(progress.answered).toBe(1);
    expect(progress.blocks.find((x) => x.block === q.model.questions[0].block)?.answered).toBe(1);
    progress = await b.setAnswer(who, q.model.questions[0].id, null);
    expect(progress.answered).toBe(0);
    for (const question of q.model.questions.filter((x) => x.phase === 1)) await b.setAnswer(who, question.id, '4');
    await b.setNote(who, q.model.questions[0].id, 'Saw the strategy.');
    const again = await b.questionnaire(who);
    expect(again.answers[0]).toEqual({ value: '4', note: 'Saw the strategy.' });
    expect(again.resume_index).toBe(q.model.questions.findIndex((x) => x.phase !== 1));
    const results = await b.results(round, null);
    expect(results.organisation_phase).toBe(1);
    expect(results.provisional).toBe(true);
    expect(results.explanations.organisation).toContain('phase 1');
    expect(results.actions.every((a) => a.tier === 1)).toBe(true);
  });

  it('refuses changes to a closed round, with the round_closed code', async () => {
    const b = createFakeBackend({ seed: 'demo' });
    const [org] = await b.listOrganisations(false);
    const closed = org.rounds.find((r) => r.status === 'closed')!;
    const rp = await b.roundPage(closed.id);
    await expect(b.setAnswer(rp.respondents[0].id, rp.model.questions[0].id, '1')).rejects.toMatchObject({ code: 'round_closed' });
    await b.reopenRound(closed.id);
    await expect(b.setAnswer(rp.respondents[0].id, rp.model.questions[0].id, '1')).resolves.toMatchObject({ total: 60 });
  });

  it('can fail the next call of a command, for error states', async () => {
    const b = createFakeBackend();
    b.failNext('create_organisation', { code: 'database', message: 'disk full' });
    await expect(b.createOrganisation('Acme')).rejects.toEqual({ code: 'database', message: 'disk full' });
    await expect(b.createOrganisation('Acme')).resolves.toBeTypeOf('number');
  });
});

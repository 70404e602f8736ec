import { describe, expect, it } from 'vitest';
import { NO_COMPARISON } from './backend';
import { createFakeBackend, FAKE_BROKEN_MODEL_MESSAGE } from './fake';

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

  it('compares a round with an earlier one and says whether the target is reached', async () => {
    const b = createFakeBackend({ seed: 'demo' });
    const [org] = await b.listOrganisations(false);
    const [first, second] = org.rounds;
    const results = await b.results(second.id, null);
    expect(results.compared_with?.id).toBe(first.id);
    expect(results.comparable_rounds.map((r) => r.id)).toEqual([first.id]);
    const c = results.comparison!;
    expect(c.basis).toBe('same_model');
    expect(c.basis_note).toBeNull();
    expect(c.blocks).toHaveLength(4);
    for (const bc of c.blocks) expect(bc.delta_maturity).toBeCloseTo(bc.maturity_to - bc.maturity_from, 9);
    expect(c.improved.length).toBeGreaterThan(0);
    expect(c.improved.length).toBeLessThanOrEqual(5);
    expect(c.improved.every((q) => q.delta >= 0.05 && q.text.length > 0 && q.block_name.length > 0)).toBe(true);
    expect(c.slipped.every((q) => q.delta <= -0.05)).toBe(true);
    expect(results.target?.phase).toBe(3);
    expect(results.target?.reached).toBe(results.organisation_phase >= 3);
    const baseline = await b.results(first.id, null);
    expect(baseline.comparison).toBeNull();
    expect(baseline.comparable_rounds).toEqual([]);
    const alone = await b.results(second.id, NO_COMPARISON);
    expect(alone.compared_with).toBeNull();
    expect(alone.comparison).toBeNull();
    expect(alone.comparable_rounds.map((r) => r.id)).toEqual([first.id]);
    await expect(b.results(first.id, second.id)).rejects.toMatchObject({ code: 'invalid' });
    await expect(b.results(second.id, second.id)).rejects.toMatchObject({ code: 'invalid' });
  });

  it('explains every block and shows alignment with small groups hidden', async () => {
    const b = createFakeBackend({ seed: 'demo' });
    const [org] = await b.listOrganisations(false);
    const results = await b.results(org.rounds[1].id, null);
    for (const text of results.explanations.blocks) {
      expect(text.text.endsWith(text.maturity)).toBe(true);
      expect(text.lowest.every((q) => q.below_threshold)).toBe(true);
    }
    const a = results.alignment;
    expect(a.anonymity_threshold).toBe(3);
    expect(a.groups.map((g) => g.id)).toEqual(['executive', 'manager', 'front-line']);
    expect(a.blocks).toHaveLength(4);
    for (const block of a.blocks) {
      expect(block.cells).toHaveLength(a.groups.filter((g) => !g.hidden).length);
      for (const cell of block.cells) expect(cell.lowest.length).toBeLessThanOrEqual(3);
    }

    // A round with one front-line respondent: that group is hidden, with a note and no cells.
    const round = await b.createRound({ organisation: org.id, title: 'Pulse', date: '2027-01-10', target_phase: null, model: null, copy_respondents_from: null });
    const rp = await b.roundPage(round);
    for (const [name, role] of [['A', 'executive'], ['B', 'executive'], ['C', 'executive'], ['D', 'front-line']]) {
      const who = await b.addRespondent(round, { name, role_group: role, department: null, interview_date: null });
      await b.setAnswer(who, rp.model.questions[0].id, role === 'executive' ? '4' : '1');
      await b.setAnswer(who, rp.model.questions[1].id, name === 'A' ? '0' : 'dk');
    }
    const pulse = await b.results(round, null);
    expect(pulse.target).toBeNull();
    const front = pulse.alignment.groups.find((g) => g.id === 'front-line')!;
    expect(front).toMatchObject({ respondents: 1, hidden: true });
    expect(front.note).toContain('anonymity threshold of 3');
    expect(JSON.stringify(pulse.alignment.blocks)).not.toContain('"front-line"');
    const exec = pulse.alignment.blocks[0].cells[0];
    expect(exec.group).toBe('executive');
    expect(exec.lowest.map((q) => q.question)).toEqual([rp.model.questions[1].id, rp.model.questions[0].id]);
    expect(exec.lowest[0].attainment).toBe(0);
    // Answers given per question: a value, don't know or n/a.
    const page = await b.roundPage(round);
    expect(page.answered_per_question.slice(0, 3)).toEqual([4, 4, 0]);
  });

  it('lists and imports model versions; a broken file is invalid_model with lines', async () => {
    const b = createFakeBackend({ modelFile: null });
    const [v1] = await b.listModels();
    expect(v1).toMatchObject({ is_default: true, builtin: true, questions: 60, phases: 5, blocks: 4 });
    expect(await b.importModel()).toEqual({ model: null, already_present: false });
    b.pickModelFile('broken');
    const e = await b.importModel().catch((x) => x);
    expect(e.code).toBe('invalid_model');
    expect(e.message).toBe(FAKE_BROKEN_MODEL_MESSAGE);
    expect(e.message.split('\n').every((l: string) => /^[^:]+\.toml:\d+: /.test(l))).toBe(true);
    b.pickModelFile('valid');
    const done = await b.importModel();
    expect(done.already_present).toBe(false);
    expect(done.model).toMatchObject({ version: 2, is_default: true, builtin: false });
    expect((await b.importModel()).already_present).toBe(true);
    const models = await b.listModels();
    expect(models.map((m) => [m.version, m.is_default])).toEqual([[1, false], [2, true]]);
    const org = await b.createOrganisation('Acme');
    expect((await b.organisationPage(org)).default_model).toBe(done.model!.key);
    const r1 = await b.createRound({ organisation: org, title: 'One', date: '2026-01-01', target_phase: 1, model: v1.key, copy_respondents_from: null });
    const r2 = await b.createRound({ organisation: org, title: 'Two', date: '2026-06-01', target_phase: 1, model: null, copy_respondents_from: null });
    expect((await b.roundPage(r2)).info.model_key).toBe(done.model!.key);
    const p1 = await b.addRespondent(r1, { name: 'A', role_group: 'manager', department: null, interview_date: null });
    const p2 = await b.addRespondent(r2, { name: 'A', role_group: 'manager', department: null, interview_date: null });
    const q = (await b.roundPage(r1)).model.questions[0].id;
    await b.setAnswer(p1, q, '1');
    await b.setAnswer(p2, q, '4');
    const c = (await b.results(r2, null)).comparison!;
    expect(c.basis).toBe('shared_questions');
    expect(c.basis_note).toContain('questions both model versions share');
    await expect(b.createRound({ organisation: org, title: 'X', date: '2026-01-01', target_phase: null, model: 'nope@1', copy_respondents_from: null })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('attributes quotes by name only when chosen, and a restore brings the choice back', async () => {
    const b = createFakeBackend();
    expect((await b.settings()).attribute_quotes).toBe(false);
    await b.setAttributeQuotes(true);
    expect((await b.settings()).attribute_quotes).toBe(true);
    const made = await b.backUpNow();
    await b.setAttributeQuotes(false);
    expect((await b.settings()).attribute_quotes).toBe(false);
    await b.restoreBackup(made.file_name);
    expect((await b.settings()).attribute_quotes).toBe(true);
    expect(b.calls.filter((c) => c.command === 'set_attribute_quotes').map((c) => c.args)).toEqual([[true], [false]]);
  });

  it('keeps settings, backs up and restores the data of a backup', async () => {
    const b = createFakeBackend();
    const s = await b.settings();
    expect(s.backups).toMatchObject({ enabled: true, keep: 10, list: [] });
    expect(s.thresholds).toMatchObject({ mastery_threshold: 0.75, anonymity_threshold: 3, flag_threshold: 0.25 });
    await b.setPreparedBy('  Jane Doe ');
    expect((await b.settings()).prepared_by).toBe('Jane Doe');
    b.pickLogoFile('not-image');
    await expect(b.chooseLogo()).rejects.toMatchObject({ code: 'invalid', message: 'logo.txt is not a PNG or JPEG image' });
    b.pickLogoFile('valid');
    expect((await b.chooseLogo()).logo?.data_url).toMatch(/^data:image\/png;base64,/);
    const org = await b.createOrganisation('Acme');
    const made = await b.backUpNow();
    expect(made.reason).toBe('manual');
    await b.renameOrganisation(org, 'Renamed');
    await b.setPreparedBy('Someone else');
    const out = await b.restoreBackup(made.file_name);
    expect(out.safety_backup.reason).toBe('before_restore');
    expect((await b.listOrganisations(true)).map((o) => o.name)).toEqual(['Acme']);
    expect((await b.settings()).prepared_by).toBe('Jane Doe');
    expect((await b.settings()).backups.list.map((x) => x.reason)).toEqual(['before_restore', 'manual']);
    await b.setBackupOptions(false, 1);
    expect((await b.settings()).backups.list).toHaveLength(1);
    await expect(b.setBackupOptions(true, 0)).rejects.toMatchObject({ code: 'invalid' });
    await expect(b.restoreBackup('nope.sqlite')).rejects.toMatchObject({ code: 'not_found' });
  });
});

// The questionnaire on the default model version 2 (what a fresh database's new rounds
// use), in Chromium over the real Rust backend: who is asked what (the backend's
// `asked`; the interviewer can show the rest), the phase hidden unless asked for, and
// the scale key. And on a version 1 round: nothing of that is in the way.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, session } from './harness.mjs';

const { open } = session({ before, after });

/** The squares of the side panel (not the list dialog's `jump-list-`). */
const squares = (page) => page.locator('aside [data-testid^="jump-"]');
/** The index of the square marked as the current question. */
async function currentSquare(page) {
  const id = await page.locator('aside [aria-current="step"]').getAttribute('data-testid');
  return Number(id.slice('jump-'.length));
}

describe('questionnaire', () => {
  it('asks a front-line respondent only their questions, hides the phase, and shows the scale key', async () => {
    const { page, tid, errors, server } = await open('empty');

    // An organisation and a round: a new round uses the newest model.
    await tid('org-name-input').fill('Acme Insurance');
    await tid('create-org').click();
    await tid('organisation-page').waitFor();
    await tid('new-round').click();
    await tid('round-title').fill('Baseline assessment');
    await tid('create-round').click();
    await tid('round-page').waitFor();
    const round = Number(/#\/round\/(\d+)/.exec(page.url())[1]);
    const { model } = await server.api('round_page', { id: round });
    assert.equal(model.key, 'cx-maturity@2');
    assert.match(await tid('round-model').innerText(), /cx-maturity@2/);

    // The respondent form: the chosen group's description under the select.
    await tid('add-respondent').click();
    await tid('respondent-name').fill('Jordan Ellis');
    const groups = model.role_groups;
    assert.deepEqual(await tid('respondent-role').locator('option').allInnerTexts(), groups.map((g) => g.name));
    assert.equal(await tid('respondent-role-description').innerText(), groups[0].description);
    await tid('respondent-role').selectOption('front-line');
    const frontLine = groups.find((g) => g.id === 'front-line');
    assert.ok(frontLine.description.length > 0);
    assert.equal(await tid('respondent-role-description').innerText(), frontLine.description);
    assert.equal(await tid('respondent-role').getAttribute('aria-describedby'), 'respondent-role-description');
    await tid('respondent-department').fill('Contact centre');
    await tid('save-respondent').click();
    const start = page.locator('[data-testid^="start-interview-"]');
    await start.waitFor();
    const respondent = Number((await start.getAttribute('data-testid')).split('-').pop());
    await start.click();

    // The questions asked of the front line, as the backend says.
    await tid('question-text').waitFor();
    const q = await server.api('questionnaire', { respondent });
    const askedIdx = q.asked.flatMap((a, i) => (a ? [i] : []));
    const total = q.respondent.total;
    assert.equal(askedIdx.length, total);
    assert.ok(total < model.questions.length, `${total} of ${model.questions.length} questions asked of the front line`);
    assert.match(await tid('question-position').innerText(), new RegExp(`· question 1 of ${total}$`));
    assert.match(await page.locator('.overall').innerText(), new RegExp(`0 of ${total} answered`));
    assert.equal(await squares(page).count(), total);
    assert.equal(await currentSquare(page), askedIdx[0], 'opens at the first question asked');
    // The statement (three lines here) is never squeezed under the evidence box, even in
    // the smallest window, where the column scrolls.
    await page.setViewportSize({ width: 1024, height: 700 });
    const overlap = await page.evaluate(() => {
      const text = document.querySelector('[data-testid="question-text"]');
      const guidance = document.querySelector('[data-testid="guidance"]');
      return { clipped: text.scrollHeight - text.clientHeight, gap: guidance.getBoundingClientRect().top - text.getBoundingClientRect().bottom };
    });
    assert.ok(overlap.clipped <= 1 && overlap.gap >= 0, JSON.stringify(overlap));
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.equal(await tid('not-asked-tag').count(), 0);
    // Next and Previous go through the asked questions only.
    await page.keyboard.press('ArrowRight');
    assert.equal(await currentSquare(page), askedIdx[1]);
    assert.match(await tid('question-position').innerText(), new RegExp(`· question 2 of ${total}$`));
    await tid('prev').click();
    assert.equal(await currentSquare(page), askedIdx[0]);
    assert.equal(await tid('prev').isDisabled(), true);

    // The phase: hidden by default, shown on request (and remembered).
    assert.equal(await tid('question-phase').count(), 0);
    assert.doesNotMatch(await tid('question-position').innerText(), /in this phase/);
    assert.doesNotMatch(await page.locator('aside').innerText(), /Phase/);
    await tid('show-phases').check();
    const phase = model.phases.find((p) => p.number === model.questions[askedIdx[0]].phase);
    assert.equal(await tid('question-phase').innerText(), `Phase ${phase.number} — ${phase.name}`);
    assert.match(await tid('question-position').innerText(), /\d of \d+ in this phase · question 1 of/);
    assert.equal(await page.evaluate(() => localStorage.getItem('cxm.showPhases')), '1');
    await page.reload();
    await tid('question-phase').waitFor();
    assert.equal(await tid('show-phases').isChecked(), true);
    await tid('show-phases').uncheck();
    await tid('question-phase').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => localStorage.getItem('cxm.showPhases')), '0');

    // The toggle shows the other questions, marked.
    const toggle = tid('show-unasked');
    assert.equal(await page.getByLabel(`Show questions not asked of ${frontLine.name}`).count(), 1);
    assert.equal(await toggle.isChecked(), false);
    await toggle.check();
    assert.equal(await squares(page).count(), model.questions.length);
    assert.match(await tid('question-position').innerText(), new RegExp(` of ${model.questions.length}$`));
    const unasked = q.asked.indexOf(false);
    assert.match(await tid(`jump-${unasked}`).getAttribute('class'), /\bextra\b/);
    assert.match(await tid(`jump-${unasked}`).getAttribute('aria-label'), new RegExp(`not usually asked of ${frontLine.name}`));
    await tid(`jump-${unasked}`).click();
    assert.equal(await tid('not-asked-tag').innerText(), `Not usually asked of ${frontLine.name}`);
    assert.equal(await tid('question-text').innerText(), model.questions[unasked].text);
    // Hidden again: on to the nearest asked question.
    await toggle.uncheck();
    await tid('not-asked-tag').waitFor({ state: 'detached' });
    assert.equal(await squares(page).count(), total);
    assert.ok(q.asked[await currentSquare(page)], 'back on an asked question');
    assert.match(await tid('question-position').innerText(), new RegExp(` of ${total}$`));
    // The list holds the asked questions too.
    await tid('question-list').click();
    await tid('question-list-dialog').waitFor();
    assert.equal(await tid('question-list-dialog').locator('[data-testid^="jump-list-"]').count(), total);
    assert.doesNotMatch(await tid('question-list-dialog').innerText(), /Phase \d/);
    await page.keyboard.press('Escape');
    await tid('question-list-dialog').waitFor({ state: 'hidden' });

    // The compact key under each label, and the full key on `?`.
    const defs = model.scale.definitions;
    assert.equal(defs.length, model.scale.max + 1);
    assert.equal(await tid('answer-definition-0').innerText(), defs[0]);
    assert.match(await tid('answer-0').innerText(), new RegExp(model.scale.labels[0]));
    await tid('question-area').focus();
    await page.keyboard.press('?');
    await tid('scale-key-dialog').waitFor();
    const key = await tid('scale-key-dialog').innerText();
    for (const [v, label] of model.scale.labels.entries()) {
      assert.match(await tid(`scale-key-${v}`).innerText(), new RegExp(`${v}\\s+${label}`));
      assert.ok(key.includes(defs[v]), `the key defines ${v}`);
    }
    assert.ok(model.scale.dont_know_rule.length > 0);
    assert.ok((await tid('scale-key-dk').innerText()).includes(model.scale.dont_know_rule));
    assert.ok((await tid('scale-key-na').innerText()).includes(model.scale.not_applicable_rule));
    // Keys do not answer behind it; Esc closes it and gives focus back.
    await page.keyboard.press('3');
    await page.keyboard.press('Escape');
    await tid('scale-key-dialog').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'question-area');
    assert.deepEqual(await server.calls('set_answer'), []);
    await tid('scale-key-button').click();
    await tid('scale-key-dialog').waitFor();
    await tid('scale-key-close').click();
    await tid('scale-key-dialog').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'scale-key-button');

    // Answering every asked question completes the interview (the others stay open).
    await tid('question-area').focus();
    await tid('jump-' + askedIdx[0]).click();
    await tid('question-area').focus();
    for (let i = 0; i < total; i++) await page.keyboard.press('3');
    await tid('interview-complete').waitFor();
    await tid('answered-count').filter({ hasText: new RegExp(`^${total}$`) }).waitFor();
    const answers = await server.calls('set_answer');
    assert.equal(answers.length, total);
    assert.deepEqual(answers.map((a) => a.questionId).sort(), askedIdx.map((i) => model.questions[i].id).sort());
    const row = (await server.api('round_page', { id: round })).respondents.find((r) => r.id === respondent);
    assert.deepEqual([row.answered, row.total, row.complete], [total, total, true]);

    // The round's view of it: complete when everyone asked answered.
    await tid('back-to-round').click();
    await tid(`respondent-complete-${respondent}`).waitFor();
    const summary = await tid('answered-summary').innerText();
    assert.match(summary, new RegExp(`^${total} of ${total} questions answered by every respondent asked them`));
    assert.match(summary, new RegExp(`${model.questions.length - total} questions asked of none of these respondents`));
    await tid('answered-per-question').locator('summary').click();
    assert.equal(await tid(`answered-${askedIdx[0]}`).innerText(), '1/1');
    assert.equal(await tid(`answered-${unasked}`).innerText(), 'not asked');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('on a version 1 round every question is asked: no toggle, no key, the phase on request', async () => {
    const server = await scenario('empty');
    const org = await server.api('create_organisation', { name: 'Acme Insurance' });
    const round = await server.api('create_round', {
      input: { organisation: org, title: 'On version 1', date: '2026-03-01', target_phase: null, model: 'cx-maturity@1', copy_respondents_from: null },
    });
    const respondent = await server.api('add_respondent', {
      round,
      input: { name: 'R-01', role_group: 'front-line', department: null, interview_date: null },
    });
    const q = await server.api('questionnaire', { respondent });
    assert.equal(q.model.key, 'cx-maturity@1');
    assert.ok(q.asked.every(Boolean));
    assert.deepEqual(q.model.scale.definitions, []);
    const { page, tid, errors } = await open(server, `#/interview/${respondent}`);
    await tid('question-text').waitFor();
    assert.equal(await tid('show-unasked').count(), 0);
    assert.equal(await tid('scale-key-button').count(), 0);
    assert.equal(await tid('answer-definition-0').count(), 0);
    assert.equal(await squares(page).count(), q.model.questions.length);
    assert.match(await tid('question-position').innerText(), new RegExp(`· question 1 of ${q.model.questions.length}$`));
    await tid('question-area').focus();
    await page.keyboard.press('?');
    await page.waitForTimeout(100);
    assert.equal(await page.locator('dialog[open]').count(), 0);
    assert.equal(await tid('question-phase').count(), 0);
    await tid('show-phases').check();
    await tid('question-phase').waitFor();
    assert.deepEqual(errors, []);
    await page.close();
    await server.close();
  });
});

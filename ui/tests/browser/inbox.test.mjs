// Workshop mode and the round's inbox in Chromium over the real Rust backend (the UI's
// development server, whose commands start the real collect server): start collecting
// on 127.0.0.1, three phones submit (plain `fetch`, as the participant's page does), the
// inbox fills while the page polls, two are accepted and one rejected, then stopping
// closes the link. Also: refusals shown as the backend words them, a closed round's
// inbox, a collection already running for another round, survey exports recognised by
// "Import responses…", the XLSForm export, and axe-core over the dialog and the panel.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO, demoIds, session } from './harness.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const ODK_EXPORT = join(REPO, 'crates/cxm-domain/tests/survey/odk-central-v2.csv');

const ui = session({ before, after });

/** A new open round of the demo organisation on the default model: its id. */
async function newRound(server, title) {
  const { org } = await demoIds(server);
  return server.api('create_round', {
    input: { organisation: org, title, date: '2026-09-08', target_phase: null, model: null, copy_respondents_from: null },
  });
}

/** The participants' form, read as the page reads it (the PIN in a header). */
async function form(url, pin) {
  const response = await fetch(`${url}/form`, { headers: { 'X-CXM-PIN': pin } });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

/** The ids of the questions the form asks of `role`, in order. */
function askedOf(f, role) {
  return f.questions.filter((q) => q.ask === 'all' || q.ask.includes(role)).map((q) => q.id);
}

/** One phone's submission: `{ id, short, status }`. */
async function submit(url, body) {
  const id = body.submission_id ?? randomUUID();
  const response = await fetch(`${url}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, submission_id: id }),
  });
  return { id, short: id.slice(0, 8), status: response.status, body: await response.text() };
}

/** Answers "3" (or `value`) to the first `n` of `ids`. */
function answers(ids, n, value = '3') {
  return Object.fromEntries(ids.slice(0, n).map((q) => [q, value]));
}

/** Opens the collect dialog, picks 127.0.0.1 and starts: `{ url, pin }` as shown. */
async function startCollecting(tid) {
  await tid('collect-open').click();
  await tid('collect-dialog').waitFor();
  await tid('collect-address').locator('option[value="127.0.0.1"]').waitFor({ state: 'attached' });
  await tid('collect-address').selectOption('127.0.0.1');
  await tid('collect-start').click();
  await tid('collect-qr').locator('svg').waitFor();
  return { url: (await tid('collect-url').innerText()).trim(), pin: (await tid('collect-pin').innerText()).trim() };
}

async function axe(page, include) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async (selector) => {
    const r = await window.axe.run(
      { include: [selector] },
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } },
    );
    return r.violations.map((v) => ({ rule: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  }, include);
}

describe('workshop mode and the inbox', () => {
  it('collects three phones live, accepts two, rejects one, and stops the link', async () => {
    const { page, errors, server, tid } = await ui.open('demo');
    const ids = await demoIds(server);

    // A closed round offers no collection.
    await page.goto(server.page(`#/round/${ids.baseline}`));
    await tid('round-closed-banner').waitFor();
    assert.equal(await tid('collect-open').isDisabled(), true);

    const round = await newRound(server, 'Staff workshop');
    await page.goto(server.page(`#/round/${round}`));
    await tid('respondents-empty').waitFor();
    assert.equal(await tid('inbox-panel').count(), 0, 'no inbox before anything arrives');

    // Before starting: the addresses (local network first, this computer last), two
    // hours, and what the connection is.
    await tid('collect-open').click();
    await tid('collect-dialog').waitFor();
    assert.equal(await tid('collect-dialog').getAttribute('data-view'), 'setup');
    await tid('collect-address').locator('option[value="127.0.0.1"]').waitFor({ state: 'attached' });
    const options = await tid('collect-address').locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
    assert.deepEqual(options.find(([v]) => v === '127.0.0.1'), ['127.0.0.1', '127.0.0.1 (this computer only)']);
    const local = options.map(([, label]) => label.endsWith('(this computer only)'));
    assert.deepEqual(local, [...local].sort(), 'the local network first, this computer last');
    assert.equal(await tid('collect-address').inputValue(), options[0][0], 'the first address is preselected');
    assert.equal(await tid('collect-minutes').inputValue(), '120');
    assert.match(await tid('collect-http-note').innerText(), /plain HTTP on the local network.*unencrypted/s);
    // Esc closes it; nothing was started.
    await page.keyboard.press('Escape');
    await tid('collect-dialog').waitFor({ state: 'hidden' });
    assert.equal(await server.api('collect_status'), null);

    const { url, pin } = await startCollecting(tid);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/c\/[A-Za-z0-9_-]{22,}$/);
    assert.match(pin, /^\d{6}$/);
    assert.equal(await tid('collect-dialog').getAttribute('data-view'), 'running');
    const left = await tid('collect-time-left').innerText();
    assert.match(left, /^1(19|20):\d\d$/, `time left ${left}`);
    assert.equal(await tid('collect-count').innerText(), '0');
    // The focus moved into the running view, and Tab stays in the dialog.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'collect-copy');
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="collect-dialog"]')), true, 'focus stays in the dialog');
    }
    // The countdown runs between polls.
    await page.waitForFunction((before) => document.querySelector('[data-testid="collect-time-left"]')?.textContent !== before, left);

    // Three phones answer (a front-line form: only the questions asked of front line).
    const f = await form(url, pin);
    const asked = askedOf(f, 'front-line');
    assert.ok(asked.length > 10, `front line is asked ${asked.length} questions`);
    const person = (name, n) => ({ pin, role: 'front-line', department: 'Sales', name, answers: answers(asked, n) });
    const ana = await submit(url, person('Ana Workshop', asked.length));
    const ben = await submit(url, person('Ben Workshop', 12));
    const cleo = await submit(url, person('Cleo Workshop', 5));
    for (const s of [ana, ben, cleo]) assert.equal(s.status, 201, s.body);
    // A phone's retry of the same submission is stored once.
    assert.equal((await submit(url, { ...person('Ben Workshop', 12), submission_id: ben.id })).status, 200);

    // The dialog and the inbox behind it fill while the page polls.
    await page.waitForFunction(() => document.querySelector('[data-testid="collect-count"]')?.textContent === '3', null, { timeout: 8000 });
    assert.equal(await tid('collect-pending').innerText(), '3');
    await page.locator('[data-testid^="inbox-row-"]').nth(2).waitFor({ state: 'attached', timeout: 8000 });
    // Hiding the dialog keeps collecting.
    await page.keyboard.press('Escape');
    await tid('collect-dialog').waitFor({ state: 'hidden' });
    assert.equal((await server.api('collect_status')).running, true);
    assert.match(await tid('inbox-collecting').innerText(), /Collecting on phones.*3 received/s);
    assert.equal(await tid('inbox-count').innerText(), '3 submissions waiting');
    assert.equal(await page.locator('[data-testid^="inbox-row-"]').count(), 3);
    const row = await tid(`inbox-row-${ben.short}`).innerText();
    assert.match(row, /Ben Workshop/);
    assert.match(row, /Front line/);
    assert.match(row, /Sales/);
    assert.match(row, new RegExp(`12 / ${asked.length}`));
    assert.match(row, /Ready/);

    // Accept two: one call; they become respondents.
    await tid(`inbox-check-${ana.short}`).check();
    await tid(`inbox-check-${ben.short}`).check();
    assert.equal(await tid('inbox-selected').innerText(), '2 of 3 selected');
    await tid('inbox-accept-selected').click();
    await tid('inbox-message').waitFor();
    assert.equal(await tid('inbox-message').innerText(), `Added 2 respondents with ${asked.length + 12} answers to the round.`);
    const respondents = page.locator('[data-testid^="respondent-row-"]');
    await respondents.nth(1).waitFor();
    assert.deepEqual((await respondents.allInnerTexts()).map((t) => t.split('\n')[0]).sort(), ['Ana Workshop', 'Ben Workshop']);
    assert.equal(await tid('inbox-count').innerText(), '1 submission waiting');

    // Reject one, after a confirmation that says what happens to its answers.
    await tid(`inbox-check-${cleo.short}`).check();
    await tid('inbox-reject-selected').click();
    const confirm = page.locator('[data-testid="confirm-dialog"][open]');
    await confirm.waitFor();
    assert.match(await confirm.innerText(), /Cleo Workshop.*answers will be deleted/s);
    await confirm.getByTestId('confirm-ok').click();
    await tid('inbox-empty').waitFor();
    assert.equal(await tid('inbox-message').innerText(), 'Rejected 1 submission: its answers were deleted.');
    assert.equal(await tid('inbox-count').innerText(), 'No submissions waiting');
    assert.equal(await respondents.count(), 2);
    const inbox = await server.api('inbox', { round });
    assert.deepEqual([inbox.entries.length, inbox.accepted, inbox.rejected], [0, 2, 1]);

    // Stop: why and the totals; the link no longer answers.
    await tid('collect-show').click();
    await tid('collect-stop').click();
    await tid('collect-stopped').waitFor();
    assert.equal(await tid('collect-stopped').getAttribute('data-reason'), 'stopped');
    assert.match(await tid('collect-stopped').innerText(), /You stopped it.*3 submissions received.*no submissions waiting/s);
    await assert.rejects(fetch(`${url}/form`, { headers: { 'X-CXM-PIN': pin } }), 'the link no longer answers');
    await tid('collect-review').click();
    await tid('collect-dialog').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'inbox-title');
    assert.match(await tid('inbox-collecting').innerText(), /Collecting stopped \(stopped by you\) · 3 received/);

    assert.deepEqual(errors, []);
  });

  it('shows refusals as the backend words them, a closed round, and another round collecting', async () => {
    const { page, errors, server, tid } = await ui.open('demo');
    const other = await newRound(server, 'Other workshop');
    const round = await newRound(server, 'Leaders workshop');
    await server.api('add_respondent', { round, input: { name: 'Dana Existing', role_group: 'manager', department: null, interview_date: null } });
    // A collection runs for another round: the dialog says so and offers to stop it.
    await server.api('start_collecting', { input: { round: other, address: '127.0.0.1', port: null, minutes: 30 } });
    await page.goto(server.page(`#/round/${round}`));
    await page.locator('[data-testid^="respondent-row-"]').first().waitFor();
    await tid('collect-open').click();
    await tid('collect-other').waitFor();
    assert.match(await tid('collect-other').innerText(), /Already collecting for “Other workshop”/);
    assert.equal(await tid('collect-start').isDisabled(), true);
    await tid('collect-stop-other').click();
    await tid('collect-other').waitFor({ state: 'detached' });
    assert.equal((await server.api('collect_status')).running, false);
    await tid('collect-address').locator('option[value="127.0.0.1"]').waitFor({ state: 'attached' });
    await tid('collect-address').selectOption('127.0.0.1');
    await tid('collect-minutes').fill('0');
    await tid('collect-start').click();
    await tid('collect-error').waitFor();
    assert.match(await tid('collect-error').innerText(), /collect for 1 to 1440 minutes, not 0/);
    await tid('collect-minutes').fill('45');
    await tid('collect-start').click();
    await tid('collect-qr').locator('svg').waitFor();
    assert.match(await tid('collect-time-left').innerText(), /^(45:00|44:5\d)$/);
    const url = (await tid('collect-url').innerText()).trim();
    const pin = (await tid('collect-pin').innerText()).trim();

    // A submission under a name already in the round: its problem shows in red, and
    // accepting (all or nothing) is refused with the backend's message.
    const asked = askedOf(await form(url, pin), 'manager');
    const taken = await submit(url, { pin, role: 'manager', department: '', name: 'Dana Existing', answers: answers(asked, 4, 'dk') });
    const fine = await submit(url, { pin, role: 'manager', department: 'Ops', name: '', answers: answers(asked, 6) });
    assert.equal(taken.status, 201, taken.body);
    assert.equal(fine.status, 201, fine.body);
    await tid(`inbox-row-${fine.short}`).waitFor({ timeout: 8000 });
    await tid(`inbox-row-${taken.short}`).waitFor({ timeout: 8000 });
    await page.keyboard.press('Escape');
    assert.equal(await tid(`inbox-respondent-${fine.short}`).innerText(), `Participant ${fine.short.toUpperCase()}`);
    assert.match(await tid(`inbox-problem-${taken.short}`).innerText(), /already in this round/);
    assert.match(await tid('inbox-problems-note').innerText(), /One submission has a problem/);
    const color = await tid(`inbox-problem-${taken.short}`).evaluate((e) => getComputedStyle(e).color);
    assert.equal(color, 'rgb(168, 74, 0)', 'problems in the alert ink');
    await tid('inbox-accept-all').click();
    await tid('inbox-error').waitFor();
    assert.match(await tid('inbox-error').innerText(), /Dana Existing/);
    assert.equal(await page.locator('[data-testid^="inbox-row-"]').count(), 2, 'nothing changed');
    assert.equal(await page.locator('[data-testid^="respondent-row-"]').count(), 1);
    assert.equal(await tid('inbox-message').count(), 0);

    // Closing the round stops the collection; its inbox accepts nothing.
    await tid('close-round').click();
    await tid('inbox-closed').waitFor();
    assert.equal(await tid('inbox-accept-all').isDisabled(), true);
    await tid(`inbox-check-${fine.short}`).check();
    assert.equal(await tid('inbox-accept-selected').isDisabled(), true);
    assert.equal(await tid('inbox-reject-selected').isDisabled(), false, 'a closed round can still reject');
    assert.match(await tid('inbox-collecting').innerText(), /Collecting stopped \(round closed\)/);
    const status = await server.api('collect_status');
    assert.deepEqual([status.running, status.stopped_because], [false, 'round_closed']);
    assert.equal(await tid('collect-open').isDisabled(), true);
    assert.deepEqual(errors, []);
  });

  it('recognises survey exports, skips what was imported before, and exports the XLSForm', async () => {
    const { page, errors, server, tid } = await ui.open('demo');
    const round = await newRound(server, 'Staff survey');
    await page.goto(server.page(`#/round/${round}`));
    await tid('respondents-empty').waitFor();

    await server.pick(ODK_EXPORT);
    await tid('import-responses').click();
    await tid('import-preview').waitFor();
    assert.equal(await tid('import-source').innerText(), 'ODK Central export');
    assert.equal(await tid('import-already').count(), 0);
    // The submission a reviewer rejected in ODK Central is left out, with why; the
    // tool's meta columns are ignored.
    assert.equal(await tid('import-left-out-row').count(), 1);
    assert.match(await tid('import-left-out-row').innerText(), /^Line 5\b/);
    assert.match(await tid('import-ignored-columns').innerText(), /^Ignored columns \(\d+\): SubmissionDate, .*DeviceID/);
    const first = await tid('import-preview-respondent').count();
    assert.ok(first > 0);
    await tid('import-preview-confirm').click();
    await tid('import-responses-result').waitFor();
    assert.match(await tid('import-responses-result').innerText(), new RegExp(`Imported ${first} respondents? with \\d+ answers? from odk-central-v2\\.csv\\.$`));

    // The same export again: nothing new, said plainly.
    await tid('import-responses').click();
    await tid('import-nothing-new').waitFor();
    assert.match(await tid('import-nothing-new').innerText(), new RegExp(`Nothing new to import.*\\(${first}\\)`));
    assert.equal(await tid('import-preview-confirm').isDisabled(), true);
    assert.equal(await tid('import-preview-confirm').innerText(), 'Nothing to import');
    await tid('import-preview-cancel').click();
    await tid('import-preview').waitFor({ state: 'hidden' });

    // The survey form through the save dialog.
    assert.match(await tid('export-xlsform-hint').innerText(), /ODK Central or KoboToolbox/);
    await tid('export-xlsform').click();
    await page.locator('[data-testid="round-export-result"][data-kind="saved"]').waitFor();
    const path = await tid('round-export-path').innerText();
    assert.match(path, /Staff survey - survey form\.xlsx$/);
    assert.equal(existsSync(path), true);
    assert.deepEqual(errors, []);
  });

  it('passes axe-core: the collect dialog running and the inbox with submissions', async () => {
    const { page, server, tid } = await ui.open('demo', '', { width: 1280, height: 800 }, { bypassCSP: true });
    const round = await newRound(server, 'Accessible workshop');
    await page.goto(server.page(`#/round/${round}`));
    await tid('respondents-empty').waitFor();
    await tid('collect-open').click();
    await tid('collect-address').locator('option[value="127.0.0.1"]').waitFor({ state: 'attached' });
    assert.deepEqual(await axe(page, '[data-testid="collect-dialog"]'), [], 'the dialog before starting');
    await tid('collect-address').selectOption('127.0.0.1');
    await tid('collect-start').click();
    await tid('collect-qr').locator('svg').waitFor();
    const url = (await tid('collect-url').innerText()).trim();
    const pin = (await tid('collect-pin').innerText()).trim();
    assert.deepEqual(await axe(page, '[data-testid="collect-dialog"]'), [], 'the dialog running');
    const asked = askedOf(await form(url, pin), 'front-line');
    await submit(url, { pin, role: 'front-line', department: 'Sales', name: 'Eve Workshop', answers: answers(asked, 8) });
    await submit(url, { pin, role: 'front-line', department: '', name: '', answers: answers(asked, 3, 'na') });
    await page.locator('[data-testid^="inbox-row-"]').nth(1).waitFor({ state: 'attached', timeout: 8000 });
    await page.keyboard.press('Escape');
    await tid('collect-dialog').waitFor({ state: 'hidden' });
    await page.locator('[data-testid^="inbox-check-"]').first().check();
    assert.deepEqual(await axe(page, '[data-testid="inbox-panel"]'), [], 'the inbox panel');
    await tid('collect-show').click();
    await tid('collect-stop').click();
    await tid('collect-stopped').waitFor();
    assert.deepEqual(await axe(page, '[data-testid="collect-dialog"]'), [], 'the dialog stopped');
  });
});

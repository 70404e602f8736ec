// The participant's page of workshop mode (crates/cxm-collect) in Chromium at a phone's
// size (360×740, touch), over the real server: `collect_memory`, the crate's example
// that keeps submissions in memory and prints one JSON line per submission received.
//
// The binary: $CXM_COLLECT_MEMORY_BIN, else built here with cargo (a no-op when nothing
// changed) into $CARGO_TARGET_DIR (default ~/.cache/cxm-target).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO, browser } from './harness.mjs';
import * as participant from './participant.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TARGET_DIR = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'cxm-target');
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

function collectMemoryBinary() {
  if (process.env.CXM_COLLECT_MEMORY_BIN) return process.env.CXM_COLLECT_MEMORY_BIN;
  execFileSync('cargo', ['build', '--quiet', '-p', 'cxm-collect', '--example', 'collect_memory'], {
    cwd: REPO,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CARGO_TARGET_DIR: TARGET_DIR },
  });
  return join(TARGET_DIR, 'debug', 'examples', 'collect_memory');
}

const running = new Set();

/** A collect_memory server: `{ url, pin, stored, waitFor(predicate), close() }`;
 *  `stored` fills with the lines it prints per submission. */
async function startCollector() {
  const child = spawn(collectMemoryBinary(), [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`collect_memory exited (${code}) before listening`)));
    lines.once('line', resolve);
  });
  const { url, pin } = JSON.parse(first);
  const stored = [];
  const waiting = [];
  lines.on('line', (line) => {
    stored.push(JSON.parse(line));
    for (const w of waiting.splice(0)) w();
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const server = {
    url,
    pin,
    stored,
    /** Resolves once a printed line satisfies `predicate`. */
    async waitFor(predicate, timeout = 10_000) {
      const deadline = Date.now() + timeout;
      while (!stored.some(predicate)) {
        if (Date.now() > deadline) throw new Error(`no such submission line in ${JSON.stringify(stored)}`);
        await new Promise((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    async close() {
      if (!running.delete(server)) return;
      child.stdin.end(); // collect_memory stops when its input closes
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(server);
  return server;
}

/** The form JSON, fetched as the page does (with the PIN). */
async function fetchForm(server) {
  const response = await fetch(`${server.url}/form`, { headers: { 'X-CXM-PIN': server.pin } });
  assert.equal(response.status, 200);
  return response.json();
}

function askedOf(form, role) {
  return form.questions.filter((q) => q.ask === 'all' || q.ask.includes(role)).map((q) => q.id);
}

async function axe(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({
      rule: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1).join(' ')}`),
    }));
  });
}

async function assertNoSidewaysScroll(page, where) {
  const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(width <= 360, `${where}: the page is ${width}px wide at 360px`);
}

let chrome;
before(async () => {
  collectMemoryBinary();
  chrome = await browser();
});
after(async () => {
  await chrome?.close();
  await Promise.all([...running].map((s) => s.close()));
});

/** A new phone-sized page; its page errors and console errors (a refused script or
 *  style shows there) are collected. */
async function phone(options = {}) {
  const context = await chrome.newContext({ ...PHONE, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    // Refusals the test provokes (403, the aborted send) show as failed resources.
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  return { page, errors, close: () => context.close() };
}

describe('the participant’s page', () => {
  it('PIN, front-line questions only, a reload, a failed send retried with the same id, thanks', async () => {
    const server = await startCollector();
    const form = await fetchForm(server);
    const frontLine = askedOf(form, 'front-line');
    assert.ok(frontLine.length > 0 && frontLine.length < form.questions.length, 'v2 asks front line some of its questions');

    // The page's own content security policy is in force here.
    const { page, errors, close } = await phone();
    await page.goto(server.url);
    await participant.waitForScreen(page, 'pin');
    await assertNoSidewaysScroll(page, 'PIN');

    assert.equal(await participant.enterPin(page, server.pin === '000000' ? '111111' : '000000'), false);
    assert.match(await participant.pinError(page), /PIN is not right/);
    assert.equal(await participant.enterPin(page, server.pin), true);
    await participant.waitForScreen(page, 'about');
    assert.equal((await page.locator('#round').textContent()).trim(), form.round_title);
    await assertNoSidewaysScroll(page, 'about you');

    await participant.chooseRole(page, 'Front line', { department: 'Contact centre' });
    const first = await participant.currentQuestion(page);
    assert.equal(first.number, 1);
    assert.equal(first.of, frontLine.length, 'only the questions front line is asked');
    assert.equal(first.id, frontLine[0]);
    await assertNoSidewaysScroll(page, 'a question');

    // Several answers, then a reload: everything is still there.
    const values = ['3', 'dk', '1', 'na', '4'];
    const given = {};
    for (const value of values) {
      const q = await participant.currentQuestion(page);
      assert.ok(frontLine.includes(q.id), `${q.id} is asked of front line`);
      await participant.answer(page, value);
      given[q.id] = value;
      await participant.next(page);
    }
    await page.reload();
    const after = await participant.currentQuestion(page);
    assert.equal(after.number, values.length + 1, 'the same place after a reload');
    await page.getByRole('button', { name: 'Back' }).click();
    const back = await participant.currentQuestion(page);
    assert.equal(await participant.chosenAnswer(page), given[back.id], 'the answer kept after a reload');
    await participant.next(page);

    // The rest, each checked to be a front-line question.
    const rest = await participant.answerAll(page, '2');
    for (const q of rest) assert.ok(frontLine.includes(q.id), `${q.id} is asked of front line`);
    assert.deepEqual(await participant.answeredCount(page), { answered: frontLine.length, of: frontLine.length });
    await assertNoSidewaysScroll(page, 'review');

    // Sending fails on the network (the page's own retries too, while `offline`);
    // "Try again" sends the same submission.
    const id = await participant.submissionId(page);
    const posted = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/responses')) posted.push(r.postDataJSON());
    });
    let offline = true;
    await page.route('**/responses', (route) => (offline ? route.abort('internetdisconnected') : route.continue()));
    await participant.pressSend(page);
    await page.getByTestId('try-again').waitFor();
    assert.match(await participant.sendStatus(page), /Not sent yet\. Could not reach the facilitator's laptop\./);
    assert.equal(server.stored.length, 0, 'nothing arrived');
    offline = false;
    await page.getByTestId('try-again').click();
    await participant.waitForScreen(page, 'thanks');
    assert.match(await page.locator('main').textContent(), /Your answers are in\. You can close this page\./);
    await assertNoSidewaysScroll(page, 'thanks');

    await server.waitFor((line) => line.submission_id === id);
    assert.ok(posted.length >= 2, `sent ${posted.length} times`);
    assert.deepEqual(new Set(posted.map((b) => b.submission_id)), new Set([id]), 'every attempt carried the same id');
    assert.deepEqual(server.stored, [{ submission_id: id, role: 'front-line', answers: frontLine.length, new: true }]);
    assert.equal(posted.at(-1).pin, server.pin);
    assert.equal(posted.at(-1).department, 'Contact centre');
    assert.equal(posted.at(-1).answers[back.id], given[back.id]);

    // Answering again for someone else: a new submission, nothing of the last one.
    await page.getByRole('button', { name: 'Answer again for someone else' }).click();
    await participant.waitForScreen(page, 'about');
    assert.equal(await page.getByRole('textbox', { name: /^Department/ }).inputValue(), '');
    await participant.chooseRole(page, 'Manager');
    assert.equal(await participant.chosenAnswer(page), null, 'the answers were cleared');
    const second = await participant.submissionId(page);
    assert.notEqual(second, id);
    await participant.answerAll(page, 'dk');
    await participant.submit(page);
    await server.waitFor((line) => line.submission_id === second);
    assert.equal(server.stored.filter((l) => l.submission_id === id).length, 1, 'the first stored once');
    assert.deepEqual(server.stored[1], { submission_id: second, role: 'manager', answers: askedOf(form, 'manager').length, new: true });

    assert.deepEqual(errors, [], 'no script errors and nothing the content security policy refused');
    await close();
    await server.close();
  });

  it('changing role drops the answers the new role is not asked, and says so', async () => {
    const server = await startCollector();
    const form = await fetchForm(server);
    const { page, errors, close } = await phone();
    await page.goto(server.url);
    await participant.enterPin(page, server.pin);
    await participant.chooseRole(page, 'Executive');
    // Some of the model's first questions (Strategy) are not asked of front line.
    const executive = askedOf(form, 'executive');
    const frontLine = new Set(askedOf(form, 'front-line'));
    const firstFour = executive.slice(0, 4);
    const dropped = firstFour.filter((q) => !frontLine.has(q)).length;
    assert.ok(dropped > 0, 'some of the first questions are not asked of front line');
    for (let i = 0; i < 4; i++) {
      await participant.answer(page, '2');
      await participant.next(page);
    }
    // Back to the first question, then back once more: the "About you" screen.
    for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Back' }).click();
    await participant.waitForScreen(page, 'about');
    await page.locator('.option', { has: page.getByRole('radio', { name: /^Front line\b/ }) }).click();
    assert.match(await page.getByTestId('role-notice').textContent(), new RegExp(`not asked ${dropped} questions? you have answered`));
    await page.getByRole('button', { name: 'Back to the questions' }).click();
    await participant.waitForScreen(page, 'question');
    assert.match(await page.locator('main').textContent(), new RegExp(`Your role is now Front line: ${dropped} answers? to questions that role is not asked (was|were) removed\\.`));
    const kept = await page.evaluate(() => {
      const token = location.pathname.split('/')[2];
      return Object.keys(JSON.parse(localStorage.getItem(`cxm-collect:${token}`)).answers);
    });
    assert.deepEqual(kept.sort(), firstFour.filter((q) => frontLine.has(q)).sort());
    assert.deepEqual(errors, []);
    await close();
    await server.close();
  });

  it('meets WCAG 2.1 AA (axe-core) on every screen at 360×740', async () => {
    const server = await startCollector();
    // axe-core is injected as a script, which the page's policy forbids: bypassed here.
    const { page, errors, close } = await phone({ bypassCSP: true });
    const check = async (where) => {
      const violations = await axe(page);
      assert.deepEqual(violations, [], `${where}: ${JSON.stringify(violations, null, 2)}`);
    };
    await page.goto(server.url);
    await participant.waitForScreen(page, 'pin');
    await check('PIN');
    await participant.enterPin(page, server.pin === '000000' ? '111111' : '000000');
    await check('PIN with an error');
    await participant.enterPin(page, server.pin);
    await check('about you');
    await participant.chooseRole(page, 'Front line');
    await check('a question');
    await participant.answer(page, '3');
    await page.getByText('Help with this question').click();
    await check('a question answered, its help open');
    await participant.answerAll(page, '1');
    await check('review');
    await participant.submit(page);
    await check('thanks');
    assert.deepEqual(errors, []);
    await close();
    await server.close();
  });
});

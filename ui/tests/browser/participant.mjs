// The participant's steps on the workshop page (crates/cxm-collect/page/), as a person
// takes them on a phone: the PIN, the role, the answers, sending. Shared by the page's
// own test (collect.test.mjs) and the app's end-to-end test.
//
// Every function takes a playwright-core Page showing the participant's link. The page
// says which screen it shows in `main[data-screen]`: `pin`, `about`, `question`,
// `review`, `thanks` (`loading` before the first).

/** The screen the page shows now. */
export function screen(page) {
  return page.locator('main').getAttribute('data-screen');
}

/** Waits until the page shows `name` (one of the screens above). */
export async function waitForScreen(page, name, timeout = 10_000) {
  await page.locator(`main[data-screen="${name}"]`).waitFor({ timeout });
}

/**
 * Types `pin` and presses Continue. Resolves to `true` when the page moved on (to the
 * role, or to where the participant was), `false` when it stayed on the PIN screen with
 * an error (then `pinError(page)` has the message).
 */
export async function enterPin(page, pin) {
  await waitForScreen(page, 'pin');
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Continue' }).click();
  // Settled: another screen, or the PIN screen with its error and Continue usable again.
  await page.waitForFunction(() => {
    const main = document.querySelector('main');
    if (main.getAttribute('data-screen') !== 'pin') return true;
    const error = document.querySelector('[data-testid="pin-error"]');
    const button = main.querySelector('button[type="submit"]');
    return Boolean(error && !error.hidden && button && !button.disabled);
  });
  return (await screen(page)) !== 'pin';
}

/** The PIN screen's error message ('' when none is shown). */
export async function pinError(page) {
  const error = page.getByTestId('pin-error');
  return (await error.isVisible()) ? (await error.textContent()).trim() : '';
}

/**
 * On the "About you" screen: picks the role group named `role` (its display name, as
 * `Front line`), fills in the department and name when given, and starts the questions.
 */
export async function chooseRole(page, role, { department = '', name = '' } = {}) {
  await waitForScreen(page, 'about');
  await page.locator('.option', { has: page.getByRole('radio', { name: new RegExp(`^${escape(role)}\\b`) }) }).click();
  if (department) await page.getByRole('textbox', { name: /^Department/ }).fill(department);
  if (name) await page.getByRole('textbox', { name: /^Name or code/ }).fill(name);
  await page.locator('main form button[type="submit"]').click();
  await waitForScreen(page, 'question');
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The question shown: `{ id, number, of, text }` ("Question 3 of 40": number 3, of 40). */
export async function currentQuestion(page) {
  await waitForScreen(page, 'question');
  const id = await page.locator('fieldset[data-question]').getAttribute('data-question');
  const count = (await page.getByTestId('question-count').textContent()).trim();
  const m = /^Question (\d+) of (\d+)$/.exec(count);
  if (!m) throw new Error(`not a question count: ${count}`);
  const text = (await page.locator('.statement').textContent()).trim();
  return { id, number: Number(m[1]), of: Number(m[2]), text };
}

/** Taps the answer `value` (`'0'`…`'4'`, `'dk'`, `'na'`) of the question shown. */
export async function answer(page, value) {
  await page.locator('.option', { has: page.locator(`input[name="answer"][value="${value}"]`) }).click();
  if (!(await page.locator(`input[name="answer"][value="${value}"]`).isChecked())) {
    throw new Error(`answer ${value} was not taken`);
  }
}

/** The answer chosen on the question shown, or `null`. */
export async function chosenAnswer(page) {
  const checked = page.locator('input[name="answer"]:checked');
  return (await checked.count()) ? checked.getAttribute('value') : null;
}

/** Next (or Review, on the last question). */
export async function next(page) {
  const before = await currentQuestion(page);
  await page.getByRole('navigation', { name: 'Questions' }).getByRole('button', { name: before.number === before.of ? 'Review' : 'Next' }).click();
  if (before.number === before.of) await waitForScreen(page, 'review');
  else await page.getByTestId('question-count').filter({ hasText: `Question ${before.number + 1} of` }).waitFor();
}

/**
 * Answers every question from the one shown to the last with `value` (or
 * `value(question)`), ending on the review screen. Resolves to the questions answered
 * (`currentQuestion` of each).
 */
export async function answerAll(page, value) {
  const seen = [];
  for (;;) {
    const q = await currentQuestion(page);
    seen.push(q);
    await answer(page, typeof value === 'function' ? value(q) : value);
    await next(page);
    if (q.number === q.of) return seen;
  }
}

/** The review screen's "You answered n of m questions.": `{ answered, of }`. */
export async function answeredCount(page) {
  await waitForScreen(page, 'review');
  const text = (await page.getByTestId('answered-count').textContent()).trim();
  const m = /^You answered (\d+) of (\d+) questions\.$/.exec(text);
  if (!m) throw new Error(`not an answered count: ${text}`);
  return { answered: Number(m[1]), of: Number(m[2]) };
}

/** The submission id the page will send (kept in localStorage under the link's token). */
export async function submissionId(page) {
  return page.evaluate(() => {
    const token = location.pathname.split('/')[2];
    return JSON.parse(localStorage.getItem(`cxm-collect:${token}`)).id;
  });
}

/** On the review screen: presses Send. Does not wait for the outcome. */
export async function pressSend(page) {
  await waitForScreen(page, 'review');
  await page.getByRole('button', { name: 'Send my answers' }).click();
}

/** Sends from the review screen and waits for the thank-you screen. */
export async function submit(page) {
  await pressSend(page);
  await waitForScreen(page, 'thanks');
}

/** The message the review screen shows about sending ('' when none). */
export async function sendStatus(page) {
  return ((await page.getByTestId('send-status').textContent()) ?? '').trim();
}

/** One whole participant: opens `url`, enters `pin`, picks `role`, answers every
 *  question with `value`, sends, and resolves to the submission id sent. */
export async function participate(page, url, pin, { role, value = '3', department = '', name = '' }) {
  await page.goto(url);
  if (!(await enterPin(page, pin))) throw new Error(`PIN refused: ${await pinError(page)}`);
  await chooseRole(page, role, { department, name });
  await answerAll(page, value);
  const id = await submissionId(page);
  await submit(page);
  return id;
}

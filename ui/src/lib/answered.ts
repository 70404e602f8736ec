// Rounds in progress: how many respondents answered each question, out of those asked
// it (the backend counts both), grouped by block and phase as the questionnaire is.

import { plural } from './format';
import type { ModelView } from './types';

export interface AnsweredQuestion {
  index: number;
  id: string;
  text: string;
  /** Respondents who gave it any answer. */
  answered: number;
  /** Respondents whose role group is asked it. */
  asked: number;
  /** Asked of someone, and every respondent asked it answered it. */
  complete: boolean;
}
export interface AnsweredPhase {
  phase: number;
  name: string;
  questions: AnsweredQuestion[];
}
export interface AnsweredBlock {
  id: string;
  name: string;
  /** The block's position in the model (its colour). */
  index: number;
  phases: AnsweredPhase[];
  /** Questions of the block every respondent asked it answered. */
  complete: number;
  /** Questions of the block asked of at least one respondent. */
  asked: number;
  /** Questions of the block. */
  total: number;
}

/** Asked of someone, and answered by everyone asked. */
function isComplete(answered: number, asked: number): boolean {
  return asked > 0 && answered >= asked;
}

/** `counts[i]`: respondents who answered `model.questions[i]` (RoundPage.answered_per_question);
 *  `asked[i]`: respondents asked it (RoundPage.asked_per_question). */
export function answeredByBlock(model: ModelView, counts: number[], asked: number[]): AnsweredBlock[] {
  return model.blocks.map((b, index) => {
    const phases: AnsweredPhase[] = [];
    let complete = 0;
    let askedQuestions = 0;
    let total = 0;
    model.questions.forEach((q, i) => {
      if (q.block !== b.id) return;
      let p = phases.find((x) => x.phase === q.phase);
      if (!p) {
        p = { phase: q.phase, name: model.phases.find((x) => x.number === q.phase)?.name ?? `Phase ${q.phase}`, questions: [] };
        phases.push(p);
      }
      const answered = counts[i] ?? 0;
      const of = asked[i] ?? 0;
      const done = isComplete(answered, of);
      p.questions.push({ index: i, id: q.id, text: q.text, answered, asked: of, complete: done });
      total += 1;
      if (of > 0) askedQuestions += 1;
      if (done) complete += 1;
    });
    phases.sort((x, y) => x.phase - y.phase);
    return { id: b.id, name: b.name, index, phases, complete, asked: askedQuestions, total };
  });
}

/** Questions every respondent asked them answered, across the model. */
export function fullyAnswered(counts: number[], asked: number[]): number {
  return counts.filter((c, i) => isComplete(c, asked[i] ?? 0)).length;
}

/** The summary line of the view: how many questions everyone asked answered, and how
 *  many nobody answered yet (of those asked of someone), and how many no respondent
 *  of the round is asked. When every respondent is asked every question, it says
 *  "all N respondents". */
export function answeredSummary(counts: number[], asked: number[], respondents: number): string {
  const everyone = fullyAnswered(counts, asked);
  const askedOfSomeone = counts.filter((_, i) => (asked[i] ?? 0) > 0).length;
  const unanswered = counts.filter((c, i) => (asked[i] ?? 0) > 0 && c === 0).length;
  const allAskedAll = counts.every((_, i) => (asked[i] ?? 0) === respondents);
  const head = allAskedAll
    ? `${everyone} of ${plural(counts.length, 'question')} answered by all ${plural(respondents, 'respondent')}`
    : `${everyone} of ${plural(askedOfSomeone, 'question')} answered by every respondent asked them`;
  const parts = [head];
  if (unanswered > 0) parts.push(`${plural(unanswered, 'question')} not answered by anyone yet`);
  if (askedOfSomeone < counts.length) parts.push(`${plural(counts.length - askedOfSomeone, 'question')} asked of none of these respondents`);
  return parts.join(' · ');
}

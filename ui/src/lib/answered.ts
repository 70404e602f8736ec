// Rounds in progress: how many respondents answered each question, grouped by block
// and phase as the questionnaire is.

import type { ModelView } from './types';

export interface AnsweredQuestion {
  index: number;
  id: string;
  text: string;
  answered: number;
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
  /** Questions of the block every respondent answered. */
  complete: number;
  total: number;
}

/** `counts[i]`: respondents who answered `model.questions[i]` (RoundPage.answered_per_question). */
export function answeredByBlock(model: ModelView, counts: number[], respondents: number): AnsweredBlock[] {
  return model.blocks.map((b, index) => {
    const phases: AnsweredPhase[] = [];
    let complete = 0;
    let total = 0;
    model.questions.forEach((q, i) => {
      if (q.block !== b.id) return;
      let p = phases.find((x) => x.phase === q.phase);
      if (!p) {
        p = { phase: q.phase, name: model.phases.find((x) => x.number === q.phase)?.name ?? `Phase ${q.phase}`, questions: [] };
        phases.push(p);
      }
      const answered = counts[i] ?? 0;
      p.questions.push({ index: i, id: q.id, text: q.text, answered });
      total += 1;
      if (respondents > 0 && answered >= respondents) complete += 1;
    });
    phases.sort((x, y) => x.phase - y.phase);
    return { id: b.id, name: b.name, index, phases, complete, total };
  });
}

/** Questions every respondent answered, across the model. */
export function fullyAnswered(counts: number[], respondents: number): number {
  return respondents === 0 ? 0 : counts.filter((c) => c >= respondents).length;
}

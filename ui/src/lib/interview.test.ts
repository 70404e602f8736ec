import { describe, expect, it } from 'vitest';
import {
  afterAnswer,
  allAskedAnswered,
  groupQuestions,
  isAsked,
  localProgress,
  navigable,
  nextIndex,
  position,
  prevIndex,
  snap,
  someNotAsked,
  startIndex,
} from './interview';

// Eight questions; the respondent is asked 1, 2, 4, 5 and 7 (not 0, 3, 6).
const asked = [false, true, true, false, true, true, false, true];
const N = asked.length;
const onlyAsked = navigable(asked, N, false);
const every = navigable(asked, N, true);

describe('the questions the interview offers', () => {
  it('offers the asked questions in model order, or every question when shown', () => {
    expect(onlyAsked).toEqual([1, 2, 4, 5, 7]);
    expect(every).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('counts a question the backend did not mark as asked (an older answer) as asked', () => {
    expect(isAsked([], 3)).toBe(true);
    expect(navigable([], 3, false)).toEqual([0, 1, 2]);
  });

  it('has a toggle only when some question is not asked', () => {
    expect(someNotAsked(asked, N)).toBe(true);
    expect(someNotAsked([true, true, true], 3)).toBe(false);
    expect(someNotAsked([], 60)).toBe(false);
  });
});

describe('moving', () => {
  it('goes to the next and previous asked question, skipping the others', () => {
    expect(nextIndex(onlyAsked, 2)).toBe(4);
    expect(prevIndex(onlyAsked, 4)).toBe(2);
    expect(nextIndex(onlyAsked, 7)).toBeNull();
    expect(prevIndex(onlyAsked, 1)).toBeNull();
    expect(nextIndex(every, 2)).toBe(3);
    expect(prevIndex(every, 4)).toBe(3);
  });

  it('moves on from a question that is not offered (just hidden)', () => {
    expect(nextIndex(onlyAsked, 3)).toBe(4);
    expect(prevIndex(onlyAsked, 3)).toBe(2);
    expect(snap(onlyAsked, 3)).toBe(4);
    expect(snap(onlyAsked, 6)).toBe(7);
    expect(snap([1, 2], 6)).toBe(2);
    expect(snap(onlyAsked, 5)).toBe(5);
    expect(snap([], 5)).toBe(5);
  });

  it('opens at the resume point, or at the first asked question', () => {
    expect(startIndex(onlyAsked, 4, N)).toBe(4);
    // Everything answered: the backend says 0, which this respondent is not asked.
    expect(startIndex(onlyAsked, 0, N)).toBe(1);
    expect(startIndex(every, 0, N)).toBe(0);
    expect(startIndex(onlyAsked, 99, N)).toBe(7);
  });

  it('advances after an answer, then back to the first unanswered asked question', () => {
    const answered = (done: number[]) => (i: number) => done.includes(i);
    expect(afterAnswer(onlyAsked, 2, answered([]))).toBe(4);
    expect(afterAnswer(onlyAsked, 7, answered([1, 7]))).toBe(2);
    // A question that is not asked and unanswered does not hold the interview.
    expect(afterAnswer(onlyAsked, 7, answered([1, 2, 4, 5, 7]))).toBeNull();
    expect(afterAnswer(every, 7, answered([1, 2, 4, 5, 7]))).toBe(0);
  });

  it('counts "question N of M" among the offered questions', () => {
    expect(position(onlyAsked, 4)).toEqual({ n: 3, of: 5 });
    expect(position(every, 4)).toEqual({ n: 5, of: 8 });
    expect(position(onlyAsked, 3)).toEqual({ n: 0, of: 5 });
  });
});

describe('completion', () => {
  it('is complete when every asked question is answered', () => {
    const answered = [false, true, true, false, true, true, false, true];
    expect(allAskedAnswered(asked, answered)).toBe(true);
    expect(allAskedAnswered(asked, answered.map((a, i) => a && i !== 5))).toBe(false);
    expect(allAskedAnswered([false, false], [false, false])).toBe(false);
  });

  it('counts only the asked questions, overall and per block', () => {
    const blocks = [{ id: 'a' }, { id: 'b' }];
    const questions = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'].map((block) => ({ block }));
    const answered = [true, true, false, true, true, false, false, false];
    expect(localProgress(blocks, questions, asked, answered)).toEqual({
      answered: 2,
      total: 5,
      blocks: [
        { block: 'a', answered: 1, total: 2 },
        { block: 'b', answered: 1, total: 3 },
      ],
    });
  });
});

describe('grouping for the side panel and the list', () => {
  const blocks = [{ id: 'a' }, { id: 'b' }];
  const phases = [{ number: 1 }, { number: 2 }];
  const questions = [
    { block: 'a', phase: 1 },
    { block: 'a', phase: 2 },
    { block: 'a', phase: 1 },
    { block: 'b', phase: 2 },
  ];

  it('keeps model order within a block when phases are hidden', () => {
    const g = groupQuestions(blocks, phases, questions, [0, 1, 2, 3], false);
    expect(g.map((x) => x.groups)).toEqual([[{ phase: null, items: [0, 1, 2] }], [{ phase: null, items: [3] }]]);
    expect(g.map((x) => x.bi)).toEqual([0, 1]);
  });

  it('groups by phase when phases are shown, only the offered questions', () => {
    const g = groupQuestions(blocks, phases, questions, [1, 2, 3], true);
    expect(g[0].groups).toEqual([
      { phase: phases[0], items: [2] },
      { phase: phases[1], items: [1] },
    ]);
    expect(g[1].groups).toEqual([
      { phase: phases[0], items: [] },
      { phase: phases[1], items: [3] },
    ]);
  });
});

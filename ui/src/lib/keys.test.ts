import { describe, expect, it } from 'vitest';
import { keyAction, type KeyInput } from './keys';

const k = (key: string, more: Partial<KeyInput> = {}): KeyInput => ({ key, target: 'other', ...more });

describe('keyAction', () => {
  it('answers with the digits of the scale, and only those', () => {
    for (const d of ['0', '1', '2', '3', '4']) expect(keyAction(k(d), 4, false)).toEqual({ kind: 'answer', value: d });
    expect(keyAction(k('5'), 4, false)).toEqual({ kind: 'none' });
    expect(keyAction(k('6'), 6, false)).toEqual({ kind: 'answer', value: '6' });
  });

  it("maps D and N to don't know and not applicable, in either case", () => {
    expect(keyAction(k('d'), 4, false)).toEqual({ kind: 'answer', value: 'dk' });
    expect(keyAction(k('D'), 4, false)).toEqual({ kind: 'answer', value: 'dk' });
    expect(keyAction(k('n'), 4, false)).toEqual({ kind: 'answer', value: 'na' });
    expect(keyAction(k('N'), 4, false)).toEqual({ kind: 'answer', value: 'na' });
  });

  it('clears with Backspace and Delete', () => {
    expect(keyAction(k('Backspace'), 4, false)).toEqual({ kind: 'clear' });
    expect(keyAction(k('Delete'), 4, false)).toEqual({ kind: 'clear' });
  });

  it('moves with the arrows and Enter', () => {
    expect(keyAction(k('ArrowRight'), 4, false)).toEqual({ kind: 'next' });
    expect(keyAction(k('ArrowLeft'), 4, false)).toEqual({ kind: 'prev' });
    expect(keyAction(k('Enter'), 4, false)).toEqual({ kind: 'next' });
  });

  it('leaves Enter to a focused button', () => {
    expect(keyAction(k('Enter', { target: 'button' }), 4, false)).toEqual({ kind: 'none' });
    expect(keyAction(k('3', { target: 'button' }), 4, false)).toEqual({ kind: 'answer', value: '3' });
  });

  it('focuses the note with E or /, and Esc leaves it', () => {
    expect(keyAction(k('e'), 4, false)).toEqual({ kind: 'focus-note' });
    expect(keyAction(k('E'), 4, false)).toEqual({ kind: 'focus-note' });
    expect(keyAction(k('/'), 4, false)).toEqual({ kind: 'focus-note' });
    expect(keyAction(k('Escape', { target: 'note' }), 4, false)).toEqual({ kind: 'leave-note' });
  });

  it('opens the scale key with ?, read-only too, but not while typing', () => {
    expect(keyAction(k('?'), 4, false)).toEqual({ kind: 'scale-key' });
    expect(keyAction(k('?', { target: 'button' }), 4, false)).toEqual({ kind: 'scale-key' });
    expect(keyAction(k('?'), 4, true)).toEqual({ kind: 'scale-key' });
    expect(keyAction(k('?', { ctrlKey: true }), 4, false)).toEqual({ kind: 'none' });
  });

  it('lets the note and other text fields have every other key', () => {
    for (const key of ['3', 'd', 'n', 'Backspace', 'ArrowLeft', 'Enter', 'e', '?']) {
      expect(keyAction(k(key, { target: 'note' }), 4, false)).toEqual({ kind: 'none' });
      expect(keyAction(k(key, { target: 'text' }), 4, false)).toEqual({ kind: 'none' });
    }
  });

  it('ignores keys with a modifier (shortcuts of the system)', () => {
    expect(keyAction(k('3', { ctrlKey: true }), 4, false)).toEqual({ kind: 'none' });
    expect(keyAction(k('d', { metaKey: true }), 4, false)).toEqual({ kind: 'none' });
    expect(keyAction(k('ArrowRight', { altKey: true }), 4, false)).toEqual({ kind: 'none' });
  });

  it('only moves when read-only', () => {
    for (const key of ['3', 'd', 'n', 'Backspace', 'e']) expect(keyAction(k(key), 4, true)).toEqual({ kind: 'none' });
    expect(keyAction(k('ArrowRight'), 4, true)).toEqual({ kind: 'next' });
    expect(keyAction(k('ArrowLeft'), 4, true)).toEqual({ kind: 'prev' });
  });
});

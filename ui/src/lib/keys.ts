// The questionnaire's keyboard: a pure mapping from a key press to what it does, so it
// can be tested without a browser.
//
//   0–S      answer and advance          D  don't know     N  not applicable
//   Backspace / Delete  clear the answer  →, Enter  next    ←  previous
//   E or /   write a note                 Esc (in the note) back to answering
//   ?        the scale key (what each value means; read-only too)

export type KeyAction =
  | { kind: 'answer'; value: string }
  | { kind: 'clear' }
  | { kind: 'next' }
  | { kind: 'prev' }
  | { kind: 'focus-note' }
  | { kind: 'leave-note' }
  | { kind: 'scale-key' }
  | { kind: 'none' };

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** Where the key was pressed. */
  target: 'note' | 'text' | 'button' | 'other';
}

export function keyAction(e: KeyInput, scaleMax: number, readOnly: boolean): KeyAction {
  if (e.ctrlKey || e.metaKey || e.altKey) return { kind: 'none' };
  if (e.target === 'note') return e.key === 'Escape' ? { kind: 'leave-note' } : { kind: 'none' };
  if (e.target === 'text') return { kind: 'none' };
  const k = e.key;
  if (k === 'ArrowRight') return { kind: 'next' };
  if (k === 'ArrowLeft') return { kind: 'prev' };
  // Enter on a focused button activates that button instead.
  if (k === 'Enter') return e.target === 'button' ? { kind: 'none' } : { kind: 'next' };
  if (k === 'e' || k === 'E' || k === '/') return readOnly ? { kind: 'none' } : { kind: 'focus-note' };
  if (k === '?') return { kind: 'scale-key' };
  if (readOnly) return { kind: 'none' };
  if (/^[0-9]$/.test(k) && Number(k) <= scaleMax) return { kind: 'answer', value: k };
  if (k === 'd' || k === 'D') return { kind: 'answer', value: 'dk' };
  if (k === 'n' || k === 'N') return { kind: 'answer', value: 'na' };
  if (k === 'Backspace' || k === 'Delete') return { kind: 'clear' };
  return { kind: 'none' };
}

/** Classifies an event target for `keyAction`. */
export function targetKind(el: EventTarget | null, note: Element | null): KeyInput['target'] {
  if (!el || !(el instanceof Element)) return 'other';
  if (note && el === note) return 'note';
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return 'text';
  if (tag === 'INPUT') {
    const t = (el as HTMLInputElement).type;
    return t === 'checkbox' || t === 'radio' || t === 'button' ? 'button' : 'text';
  }
  if ((el as HTMLElement).isContentEditable) return 'text';
  if (tag === 'BUTTON' || tag === 'A') return 'button';
  return 'other';
}

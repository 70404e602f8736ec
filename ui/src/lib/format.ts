// Formatting shared by every screen.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-09-08" → "8 Sep 2026" (no time zone involved: the date is a calendar date). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** Today as YYYY-MM-DD in local time. */
export function today(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** A figure rounded down to two decimals, as the domain shows figures. */
export function figure(x: number): string {
  return (Math.floor(x * 100 + 1e-7) / 100).toFixed(2);
}

/** 0.734 → "73%" (rounded down: a value below the threshold never shows as equal to it). */
export function percent(x: number): string {
  return `${Math.floor(x * 100 + 1e-7)}%`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The CSS class giving a block its colour, by its position in the model. */
export function blockClass(index: number): string {
  return `blk-${index < 0 ? 0 : index % 6}`;
}

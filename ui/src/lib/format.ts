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

/** A signed change rounded toward zero to two decimals, as the domain shows changes:
 *  "+0.12", "−0.05" (a true minus sign on screen), "±0.00". */
export function delta(x: number): string {
  const h = x >= 0 ? Math.floor(x * 100 + 1e-7) : Math.ceil(x * 100 - 1e-7);
  if (h === 0) return '±0.00';
  return `${h > 0 ? '+' : '−'}${(Math.abs(h) / 100).toFixed(2)}`;
}

/** Whether a change is up, down or none at two decimals (for colour and arrows). */
export function trend(x: number | null): 'up' | 'down' | 'flat' {
  if (x === null) return 'flat';
  const d = delta(x);
  return d.startsWith('+') ? 'up' : d.startsWith('−') ? 'down' : 'flat';
}

/** The names of the blocks with these ids, in the order given ("Strategy, Culture"):
 *  the results send blocks by id (the bottleneck) and their names once, in `blocks`. */
export function blockNames(ids: string[], blocks: { id: string; name: string }[]): string {
  return ids.map((id) => blocks.find((b) => b.id === id)?.name ?? id).join(', ');
}

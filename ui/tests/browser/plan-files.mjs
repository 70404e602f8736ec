// The plan as a CSV file for the browser tests (issue 15): the file the app exports,
// read and edited as a PMO would in a spreadsheet, then written for the open dialog.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempFolder } from './harness.mjs';

/** The rows of a CSV text (RFC 4180: quoted cells, doubled quotes, line breaks in
 *  quotes), each an array of cells; a last empty line is not a row. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** CSV text of `rows`, every cell quoted. */
export function writeCsv(rows) {
  return rows.map((r) => r.map((c) => `"${String(c).replace(/"/g, '""')}"`).join(',')).join('\r\n') + '\r\n';
}

/** The plan CSV the app wrote at `path`: `{ header, rows, col(name) }` (`col`: a
 *  header's index). */
export function readPlanCsv(path) {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  const col = (name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`no column ${name} in ${header}`);
    return i;
  };
  return { header, rows, col };
}

/** Writes the edited plan to a new folder as `name`; returns its path. */
export function writePlanCsv({ header, rows }, name = 'plan.csv') {
  const path = join(tempFolder('plan-csv'), name);
  writeFileSync(path, writeCsv([header, ...rows]));
  return path;
}

/** The organisation's plan exported as CSV through the app's command (the development
 *  server's save dialog writes it into the scenario's folder). */
export async function exportedPlanCsv(server, organisation) {
  const out = await server.api('export_plan', { organisation, format: 'csv' });
  if (!out.path) throw new Error('the plan export was cancelled');
  return readPlanCsv(out.path);
}

/** An item id that is no item's (the UUID form the plan's ids have). */
export const UNKNOWN_ID = 'a3f1c9d2-7b4e-4f60-8d21-5c9e0b7a6f14';

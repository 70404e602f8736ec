// The browser tests' harness: the UI's development server (crates/cxm-dev-server) over
// a fresh temporary database per scenario, serving the built UI (ui/dist) and the real
// Rust backend, and Debian's Chromium through playwright-core (never a downloaded
// browser).
//
// `cargo build -p cxm-dev-server` runs once per test process (a no-op when nothing
// changed; cargo's lock orders concurrent test files); `CXM_DEV_SERVER_BIN` names a
// binary built elsewhere instead. The build directory is $CARGO_TARGET_DIR, by default
// ~/.cache/cxm-target as in scripts/lib.sh.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const UI_DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const TARGET_DIR = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'cxm-target');

let binary = null;

/** The dev server's binary, built by cargo the first time it is asked for. */
export function serverBinary() {
  if (process.env.CXM_DEV_SERVER_BIN) return process.env.CXM_DEV_SERVER_BIN;
  if (binary) return binary;
  execFileSync('cargo', ['build', '--quiet', '-p', 'cxm-dev-server'], {
    cwd: REPO,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CARGO_TARGET_DIR: TARGET_DIR },
  });
  binary = join(TARGET_DIR, 'debug', 'cxm-dev-server');
  return binary;
}

// Every scenario's folder lives under one temporary root per test process, removed
// at exit (after whatever was made read-only is writable again).
let root = null;
const undo = [];
function tempRoot() {
  if (!root) {
    root = mkdtempSync(join(tmpdir(), 'cxm-ui-'));
    process.on('exit', () => {
      for (const f of undo.splice(0)) {
        try {
          f();
        } catch {
          // removed below as far as possible
        }
      }
      rmSync(root, { recursive: true, force: true });
    });
  }
  return root;
}
let folders = 0;
/** A new empty folder under the temporary root. */
export function tempFolder(name = 'scenario') {
  const dir = join(tempRoot(), `${name}-${++folders}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const servers = new Set();

/** One running development server. */
export class DevServer {
  constructor(child, url, token, dir, db) {
    this.child = child;
    this.url = url;
    this.token = token;
    /** The scenario's folder: the database in `data/`, saves in `saved/`. */
    this.dir = dir;
    /** The database file. */
    this.db = db;
    this.saved = join(dir, 'saved');
    this.exited = new Promise((resolve) => child.once('exit', resolve));
    servers.add(this);
  }

  /** The UI's address, with the token the UI forwards, and a route (`#/org/1`). */
  page(hash = '') {
    return `${this.url}?token=${this.token}${hash}`;
  }

  async #post(path, body) {
    const response = await fetch(new URL(path, this.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    const value = await response.json();
    return { ok: response.ok, value };
  }

  /** Runs a command as the UI would (camelCase arguments); throws its ApiError. */
  async api(command, args = {}) {
    const { ok, value } = await this.#post(`/api/${command}`, args);
    if (!ok) throw Object.assign(new Error(`${command}: ${value.code}: ${value.message}`), { apiError: value });
    return value;
  }

  /** A test control: `open-dialog`, `save-dialog`, `fail`, `latency`, `check`, `quit`. */
  async control(name, body = {}) {
    const { ok, value } = await this.#post(`/test/${name}`, body);
    if (!ok) throw new Error(`/test/${name}: ${JSON.stringify(value)}`);
    return value;
  }

  /** What every open dialog answers from now on (`null`: cancelled). */
  pick(path) {
    return this.control('open-dialog', { path });
  }

  /** The next call of `command` fails with this error, without running. */
  failNext(command, code, message) {
    return this.control('fail', { command, code, message });
  }

  /** The calls, dialogs and opened files the server saw. */
  async log() {
    const response = await fetch(new URL('/test/log', this.url), { headers: { authorization: `Bearer ${this.token}` } });
    return response.json();
  }

  /** The arguments of every call of `command`, oldest first. */
  async calls(command) {
    return (await this.log()).calls.filter((c) => c.command === command).map((c) => c.args);
  }

  /** Stops the server, closing its database cleanly. */
  async close() {
    if (!servers.delete(this)) return this.exited;
    this.child.stdin.end(); // --quit-on-stdin-eof
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Starts a development server on the database `db` (in `dir`), saving into
 * `dir/saved`. `checkAfter`: milliseconds until the check the app runs after start
 * (damage, then the automatic backup), or `never` (then `control('check')` runs it).
 */
export async function startServer({ dir = tempFolder(), db = join(dir, 'data', 'cxm.sqlite'), checkAfter = 'never' } = {}) {
  const child = spawn(
    serverBinary(),
    ['--db', db, '--ui', UI_DIST, '--save-dir', join(dir, 'saved'), '--check-after', String(checkAfter), '--quit-on-stdin-eof'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`cxm-dev-server exited (${code}) before listening`)));
    lines.once('line', resolve);
  });
  const m = /^listening (http:\/\/127\.0\.0\.1:\d+\/) token=([0-9a-f]+)$/.exec(first);
  if (!m) throw new Error(`cxm-dev-server said: ${first}`);
  lines.on('line', () => {}); // keep reading what it prints
  return new DevServer(child, m[1], m[2], dir, db);
}

/** Stops every server still running (each test file's `after`). */
export async function closeServers() {
  await Promise.all([...servers].map((s) => s.close()));
}

/** The page size and the b-tree pages of one table or index (`name`) of an SQLite
 *  file, read from the file format itself: the schema table (rooted at page 1) gives
 *  the b-tree's root page; interior pages point to their children. `{ pageSize,
 *  leaves, interior }`, page numbers from 1. */
function btreePages(bytes, name) {
  const raw = bytes.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  const base = (n) => (n - 1) * pageSize;
  const varint = (at) => {
    let value = 0;
    for (let i = 0; i < 9; i++) {
      const b = bytes[at + i];
      if (i === 8) return [value * 256 + b, at + 9];
      value = value * 128 + (b & 0x7f);
      if (b < 0x80) return [value, at + i + 1];
    }
  };
  /** Visits the b-tree rooted at `root`: `leaf(page, cellStarts)` for each leaf page. */
  const walk = (root, leaf, interior = []) => {
    const pending = [root];
    while (pending.length) {
      const n = pending.pop();
      const h = base(n) + (n === 1 ? 100 : 0);
      const type = bytes[h];
      const cells = bytes.readUInt16BE(h + 3);
      const isLeaf = type === 0x0a || type === 0x0d;
      if (!isLeaf && type !== 0x02 && type !== 0x05) throw new Error(`page ${n} is not a b-tree page (type ${type})`);
      const pointers = h + (isLeaf ? 8 : 12);
      const starts = Array.from({ length: cells }, (_, i) => base(n) + bytes.readUInt16BE(pointers + 2 * i));
      if (isLeaf) {
        leaf(n, starts);
      } else {
        interior.push(n);
        pending.push(bytes.readUInt32BE(h + 8), ...starts.map((c) => bytes.readUInt32BE(c)));
      }
    }
    return interior;
  };
  // sqlite_schema rows: (type, name, tbl_name, rootpage, sql); the first four columns
  // always lie in the part of a cell stored on its own page.
  let root = null;
  walk(1, (_, starts) => {
    for (const start of starts) {
      let [, at] = varint(start); // payload size
      [, at] = varint(at); // rowid
      const [headerSize, first] = varint(at);
      const types = [];
      for (let p = first; p < at + headerSize && types.length < 4; ) {
        const [t, next] = varint(p);
        types.push(t);
        p = next;
      }
      let value = at + headerSize;
      const columns = types.map((t) => {
        const size = t >= 12 ? Math.floor((t - 12) / 2) : [0, 1, 2, 3, 4, 6, 8, 8, 0, 0][t];
        const v =
          t >= 13 && t % 2 === 1
            ? bytes.toString('utf8', value, value + size)
            : t >= 1 && t <= 6
              ? bytes.readIntBE(value, Math.min(size, 6))
              : t === 9
                ? 1
                : null;
        value += size;
        return v;
      });
      if (columns[1] === name) root = columns[3];
    }
  });
  if (!root) throw new Error(`no table or index ${name} in the database`);
  const leaves = [];
  const interior = walk(root, (n) => leaves.push(n));
  return { pageSize, leaves: leaves.sort((a, b) => a - b), interior };
}

/** Overwrites the headers of two b-tree pages (a failing disk), as the Rust tests do:
 *  two leaf pages of the `answers` table, which opening the database and the screens
 *  the damage tests visit before restoring never read (they read the rounds' summary
 *  columns, and opening reads the built-in models' text), so the damage is only found
 *  by the check after start. */
function damage(file) {
  if (existsSync(`${file}-wal`)) throw new Error('the write-ahead log was not folded back');
  const bytes = readFileSync(file);
  const { pageSize, leaves } = btreePages(bytes, 'answers');
  if (leaves.length < 4) throw new Error(`too few answer pages to damage: ${leaves.length}`);
  const middle = Math.floor(leaves.length / 2);
  for (const page of [leaves[middle], leaves[middle + 1]]) bytes.fill(0xee, (page - 1) * pageSize, (page - 1) * pageSize + 12);
  writeFileSync(file, bytes);
}

/**
 * Makes a folder read-only for real, so the store opens the database in it read-only:
 * its permissions when not root; as root (whom permissions do not stop) the immutable
 * attribute. Returns how to undo it, or `null` when neither works here.
 */
function makeReadOnly(folder) {
  if (process.getuid?.() !== 0) {
    chmodSync(folder, 0o555);
    return () => chmodSync(folder, 0o700);
  }
  try {
    execFileSync('chattr', ['+i', folder], { stdio: 'ignore' });
    return () => execFileSync('chattr', ['-i', folder], { stdio: 'ignore' });
  } catch {
    return null;
  }
}

let readOnlyRoute;
/** Why a read-only database cannot be made on this machine, or `null` when it can. */
export function readOnlyUnavailable() {
  if (readOnlyRoute === undefined) {
    const probe = tempFolder('read-only-probe');
    const back = makeReadOnly(probe);
    let works = false;
    if (back) {
      try {
        writeFileSync(join(probe, 'x'), 'x');
      } catch {
        works = true;
      }
      back();
    }
    readOnlyRoute = works ? null : 'no way to make a folder read-only here (as root: chattr +i is not supported by this file system)';
  }
  return readOnlyRoute;
}

/**
 * A development server over a fresh database in one of these states:
 * - `empty`: a first run (no organisation);
 * - `demo`: the demo loaded (`load_demo`);
 * - `unopenable`: the database file is not a database (`app_status` reports why);
 * - `damaged`: the demo, a good manual backup, then two pages of its answers overwritten;
 *   the server finds the damage on its own a moment after start, as the app does;
 * - `read-only`: the demo in a folder that cannot be written.
 * Except for `damaged`, the check after start has run (for `empty` and `demo` it made
 * the automatic backup).
 */
export async function scenario(name = 'empty') {
  const dir = tempFolder(name);
  const db = join(dir, 'data', 'cxm.sqlite');
  const demo = async () => {
    const s = await startServer({ dir, db });
    await s.api('load_demo');
    return s;
  };
  switch (name) {
    case 'empty': {
      const s = await startServer({ dir, db });
      await s.control('check');
      return s;
    }
    case 'demo': {
      const s = await demo();
      await s.control('check');
      return s;
    }
    case 'unopenable': {
      mkdirSync(dirname(db), { recursive: true });
      writeFileSync(db, 'Quarterly notes, not a database.\n'.repeat(100));
      return startServer({ dir, db });
    }
    case 'damaged': {
      const first = await demo();
      await first.api('back_up_now');
      await first.close();
      damage(db);
      // As late as the app checks (3 s after start): the page asks for the database's
      // health before the check has run (loading it takes up to a second here).
      return startServer({ dir, db, checkAfter: 3000 });
    }
    case 'read-only': {
      const first = await demo();
      await first.control('check');
      await first.close();
      if (existsSync(`${db}-wal`)) throw new Error('the write-ahead log was not folded back');
      const back = makeReadOnly(dirname(db));
      if (!back) throw new Error(readOnlyUnavailable() ?? 'cannot make the folder read-only');
      undo.push(back);
      const s = await startServer({ dir, db });
      await s.control('check');
      s.exited.then(() => {
        const i = undo.indexOf(back);
        if (i >= 0) undo.splice(i, 1)[0]();
      });
      return s;
    }
    default:
      throw new Error(`no scenario ${name}`);
  }
}

export async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Chromium started once per test file (before/after hooks registered here), and
 * `open(scenario, hash, viewport, options)`: a new development server over a fresh
 * database in that scenario (or a server given as `scenario`), and a new page at
 * its `#hash`, with its page errors collected and a `tid(testId)` locator helper. The
 * server stops when the page closes. `options.bypassCSP` lets a test inject scripts.
 */
export function session({ before, after }) {
  const state = { chrome: null };
  before(async () => {
    serverBinary();
    state.chrome = await browser();
  });
  after(async () => {
    await state.chrome?.close();
    await closeServers();
  });
  async function open(which = 'empty', hash = '', viewport = { width: 1280, height: 800 }, options = {}) {
    const server = typeof which === 'string' ? await scenario(which) : which;
    const page = await state.chrome.newPage({ viewport, bypassCSP: options.bypassCSP ?? false });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('close', () => {
      if (typeof which === 'string') void server.close();
    });
    page.setDefaultTimeout(10_000);
    await page.goto(server.page(hash));
    return { page, errors, server, tid: (id) => page.getByTestId(id) };
  }
  return { open, chrome: () => state.chrome };
}

// ----- the files the open dialog picks -----

/** The default model (what new rounds and the demo use): `cx-maturity` version 2. */
const DEFAULT_MODEL = join(REPO, 'crates/cxm-domain/models/cx-maturity-v2.toml');
/** A 120 × 40 PNG. */
const LOGO_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAHgAAAAoCAIAAAC6iKlyAAAAaUlEQVR42u3YMQ0AIBAEwReBnK8RgTqcggQaAgnM5hRMeTF0pEAAGrRAgwYt0F9Al9a3DDFo0KBBgwatu9CZ9cmBBg0aNGjQoEGDBg0aNGjQoP+EdiqBBg0aNGjQoAUatECDBi3QoLVoAioTG/Xvb5zIAAAAAElFTkSuQmCC';

/** The default model's question ids, in order. */
export function questionIds() {
  return [...readFileSync(DEFAULT_MODEL, 'utf8').matchAll(/^id = "([A-Z]+-\d+\.\d+)"$/gm)].map((m) => m[1]);
}

let files = null;
/**
 * The files the tests pick in open dialogs, written once per process:
 * - `modelV3`: the default model as version 3 (versions 1 and 2 are built in);
 *   `brokenModel` (`my-method.toml`): the default model with its first question's
 *   phase 9 and weight -1, on the lines `brokenModelLines` gives (`{ phase, weight }`);
 * - `survey` (`survey-export.csv`): three new respondents answering every question of
 *   Strategy and Voice of the Customer between them: a manager all of Strategy and the
 *   first three of Voice of the Customer, two front-line staff one block each, also
 *   the questions their group is not asked (a responses file may answer any question);
 *   `brokenSurvey` (also `survey-export.csv`): an answer out of the scale, an unknown
 *   role, a respondent named twice;
 * - `logo` (a 120 × 40 PNG), `notImage` (`logo.txt`);
 * - `engagement`: the demo organisation exported by the real backend, and
 *   `damagedEngagement`: the same file cut short.
 */
export async function testFiles() {
  if (files) return files;
  const dir = tempFolder('files');
  const at = (name, text) => {
    const file = join(dir, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };
  const model = readFileSync(DEFAULT_MODEL, 'utf8');
  if (!/^version = 2$/m.test(model)) throw new Error('the default model is no longer version 2');
  const modelV3 = at('cx-maturity-v3.toml', model.replace(/^version = 2$/m, 'version = 3'));
  // The first question's phase and weight: its `phase = 1` line and the next.
  const lines = model.split('\n');
  const phase = lines.indexOf('phase = 1', lines.indexOf('[[questions]]'));
  if (phase < 0 || !lines[phase + 1].startsWith('weight = ')) throw new Error(`the default model moved: ${lines.slice(phase - 3, phase + 2)}`);
  lines[phase] = 'phase = 9';
  lines[phase + 1] = 'weight = -1';
  const brokenModel = at('broken/my-method.toml', lines.join('\n'));
  const brokenModelLines = { phase: phase + 1, weight: phase + 2 };

  const ids = questionIds();
  const str = ids.filter((q) => q.startsWith('STR-'));
  const voc = ids.filter((q) => q.startsWith('VOC-'));
  const columns = [...str, ...voc];
  const row = (name, role, department, answered) =>
    [name, role, department, ...columns.map((q) => (answered.includes(q) ? String((q.length + answered.indexOf(q)) % 5) : ''))].join(',');
  const header = ['respondent', 'role', 'department', ...columns].join(',');
  const survey = at(
    'valid/survey-export.csv',
    [
      header,
      row('R-101', 'manager', 'Claims', [...str, ...voc.slice(0, 3)]),
      row('R-102', 'front-line', 'Contact centre', str),
      row('R-103', 'front-line', 'Retail stores', voc),
      '',
    ].join('\n'),
  );
  const bad = (cells) => cells.join(',');
  const blank = columns.map(() => '');
  const brokenSurvey = at(
    'broken/survey-export.csv',
    [
      header,
      bad(['R-101', 'manager', 'Claims', ...blank.map((_, i) => (i < 3 ? '2' : ''))]),
      bad(['R-102', 'front-line', 'Contact centre', '1', '2', '3', '5', ...blank.slice(4)]),
      bad(['R-103', 'intern', 'Retail stores', ...blank]),
      bad(['R-104', 'executive', 'Board', ...blank.map((_, i) => (i === 0 ? '4' : ''))]),
      bad(['R-101', 'manager', 'Claims', ...blank]),
      '',
    ].join('\n'),
  );
  const logo = at('logo.png', Buffer.from(LOGO_PNG, 'base64'));
  const notImage = at('logo.txt', 'This is a text file, not a picture.\n');

  const source = await scenario('demo');
  const [org] = await source.api('list_organisations', { includeArchived: false });
  const exported = await source.api('export_engagement', { organisation: org.id });
  await source.close();
  const engagement = at('Northwind Energy - engagement.cxmx', readFileSync(exported.path));
  const bytes = readFileSync(engagement);
  const damagedEngagement = at('damaged/Northwind Energy - engagement.cxmx', bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  files = { modelV3, brokenModel, brokenModelLines, survey, brokenSurvey, logo, notImage, engagement, damagedEngagement };
  return files;
}

/** The demo's organisation and rounds, found through the API: `{ org, baseline, review }`
 *  (ids of "Baseline assessment" and "Six-month review"). */
export async function demoIds(server) {
  const [org] = await server.api('list_organisations', { includeArchived: false });
  const round = (title) => {
    const r = org.rounds.find((x) => x.title === title);
    if (!r) throw new Error(`no round "${title}" in ${JSON.stringify(org.rounds)}`);
    return r.id;
  };
  return { org: org.id, baseline: round('Baseline assessment'), review: round('Six-month review') };
}

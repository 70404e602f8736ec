// An in-memory backend with the same interface as the Tauri one: the UI tests and the
// `?fake` browser mode (screenshots, design work) run against it. Its model is the
// default model's text (src/lib/fake/model.json, made by scripts/fake-model.py) and
// its charts are the report crate's chart snapshots; its figures come from a compact
// copy of the scoring rules (src/lib/fake/scoring.ts).

import { NO_COMPARISON, type Backend } from './backend';
import type {
  AlignmentView,
  AnswerCell,
  ApiError,
  AppStatus,
  DatabaseHealth,
  ComparisonView,
  ImportEngagementOutcome,
  ImportIssue,
  ImportModelOutcome,
  ImportResponsesOutcome,
  ResponsesPreview,
  RoundExportFormat,
  ModelVersionInfo,
  ModelView,
  OrganisationSummary,
  Progress,
  QuestionChangeView,
  QuestionFigure,
  RespondentInput,
  RespondentRow,
  ResultsView,
  RoundInfo,
  RoundStatus,
  BackupEntry,
  ChooseLogoOutcome,
  RestoreOutcome,
  SettingsView,
} from './types';
import modelJson from './fake/model.json';
import radarSvg from './fake/charts/radar.svg?raw';
import ladderSvg from './fake/charts/ladder.svg?raw';
import trendSvg from './fake/charts/trend.svg?raw';
import heatmapSvg from './fake/charts/heatmap.svg?raw';
import { figure, score, type FakeModel, type Score } from './fake/scoring';

export const FAKE_MODEL = modelJson as FakeModel;
const MODEL = FAKE_MODEL;
const Q = MODEL.questions.length;
/** The default model's anonymity threshold (rule 6). */
const ANONYMITY = 3;
/** A block's alignment gap at or above this is flagged. */
const FLAG = 0.25;
/** Question changes smaller than this are noise, not news. */
const NOTABLE = 0.05;

/** What `import_model` says about the fake's broken model file (the real format). */
export const FAKE_BROKEN_MODEL_MESSAGE = [
  'my-method.toml:98: questions[0].phase: phase 9 does not exist (phases are 1..5)',
  'my-method.toml:99: questions[0].weight: must be a number > 0, found -1',
].join('\n');

interface Org {
  id: number;
  name: string;
  archived: boolean;
  created_at: string;
}
interface Round {
  id: number;
  organisation: number;
  title: string;
  date: string;
  status: RoundStatus;
  target_phase: number | null;
  model_key: string;
  created: number;
}
interface Person {
  id: number;
  round: number;
  name: string;
  role_group: string;
  department: string | null;
  interview_date: string | null;
  answers: AnswerCell[];
}

export interface FakeOptions {
  /** `empty`: first run; `demo`: the demo engagement already loaded. */
  seed?: 'empty' | 'demo';
  /** Makes `app_status` report a database that could not be opened. */
  dbError?: boolean;
  /** What `database_health` reports: all well (default), damage found by the check
   *  after start, or a database open read-only. The check "runs" on the second call. */
  health?: 'ok' | 'damaged' | 'read-only';
  /** Milliseconds every call waits (to see loading states). */
  latency?: number;
  /** What the open dialog of `import_model` picks: a valid version 2 of the model
   *  (default), a broken file (`invalid_model`), or nothing (cancelled). */
  modelFile?: 'valid' | 'broken' | null;
  /** What the open dialog of `choose_logo` picks (see `FakeBackend.pickLogoFile`). */
  logoFile?: FakeLogoFile;
  /** What the open dialog of `preview_responses` picks: a valid survey of three
   *  respondents (default), a file with problems, or nothing (cancelled). */
  responsesFile?: 'valid' | 'broken' | null;
  /** What the open dialog of `import_engagement` picks: a valid engagement (default),
   *  a damaged file, or nothing (cancelled). */
  engagementFile?: 'valid' | 'damaged' | null;
}

/** A logo file for `choose_logo`: a good PNG, a text file, a huge image, or nothing
 *  (cancelled). */
export type FakeLogoFile = 'valid' | 'not-image' | 'too-large' | null;

/** A 120 × 40 PNG: the fake's stored logo. */
export const FAKE_LOGO_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAHgAAAAoCAIAAAC6iKlyAAAAaUlEQVR42u3YMQ0AIBAEwReBnK8RgTqcggQaAgnM5hRMeTF0pEAAGrRAgwYt0F9Al9a3DDFo0KBBgwatu9CZ9cmBBg0aNGjQoEGDBg0aNGjQoP+EdiqBBg0aNGjQoAUatECDBi3QoLVoAioTG/Xvb5zIAAAAAElFTkSuQmCC';
/** The database path the fake reports. */
export const FAKE_DB_PATH = '/home/consultant/.local/share/io.cxmaturity.app/cxm.sqlite';

export interface FakeBackend extends Backend {
  /** Calls received, newest last (for tests). */
  calls: { command: string; args: unknown[] }[];
  /** Makes the next call of `command` fail with `error`. */
  failNext(command: string, error: ApiError): void;
  /** Sets what the next `import_model` picks (see `FakeOptions.modelFile`). */
  pickModelFile(file: 'valid' | 'broken' | null): void;
  /** Sets what the next `choose_logo` picks. */
  pickLogoFile(file: FakeLogoFile): void;
  /** Sets what the next `preview_responses` picks (see `FakeOptions.responsesFile`). */
  pickResponsesFile(file: 'valid' | 'broken' | null): void;
  /** Sets what the next `import_engagement` picks (see `FakeOptions.engagementFile`). */
  pickEngagementFile(file: 'valid' | 'damaged' | null): void;
}

/** The fake's survey file: three respondents, answers in two blocks. */
export const FAKE_SURVEY = {
  name: 'survey-export.csv',
  people: [
    ['R-101', 'manager', 'Claims', 18],
    ['R-102', 'front-line', 'Contact centre', 15],
    ['R-103', 'front-line', 'Retail stores', 15],
  ] as [string, string, string, number][],
};

/** The problems the fake finds in its broken survey file (the real format). */
export const FAKE_SURVEY_ISSUES: ImportIssue[] = [
  { line: 3, column: 7, column_name: 'STR-1.4', message: '`5` is not an answer: use 0 to 4, dk (don\'t know), na (not applicable) or leave it empty' },
  { line: 4, column: 2, column_name: 'role', message: 'unknown role `intern` (use one of: executive, manager, front-line)' },
  { line: 6, column: 1, column_name: 'respondent', message: 'respondent `R-101` is named twice (also line 2)' },
];

function err(code: string, message: string): ApiError {
  return { code, message };
}

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PEOPLE: [string, string, string][] = [
  ['Helen Marsh', 'executive', 'Executive board'],
  ['Tomás Ortega', 'executive', 'Finance'],
  ['Priya Raman', 'executive', 'Customer operations'],
  ['Daniel Okafor', 'executive', 'Marketing'],
  ['Sofia Lindqvist', 'manager', 'Customer service'],
  ['Mark Brennan', 'manager', 'Billing'],
  ['Aisha Karimi', 'manager', 'Field operations'],
  ['Lukas Weber', 'manager', 'Digital channels'],
  ['Grace Adeyemi', 'manager', 'Complaints'],
  ['Jamie Fletcher', 'front-line', 'Contact centre'],
  ['Noor Haddad', 'front-line', 'Contact centre'],
  ['Ben Carter', 'front-line', 'Field operations'],
  ['Mia Novak', 'front-line', 'Billing'],
  ['Oliver Grant', 'front-line', 'Retail stores'],
];

const NOTES = [
  'Shown the signed CX strategy, revised in January, owned by the COO.',
  'Survey results go to the insight team and stop there.',
  'Journey owners named for the six main journeys, with monthly reviews.',
  'Front-line staff need a supervisor for any goodwill credit over 20 euros.',
];

export function createFakeBackend(options: FakeOptions = {}): FakeBackend {
  const latency = options.latency ?? 0;
  const orgs: Org[] = [];
  const rounds: Round[] = [];
  const people: Person[] = [];
  let nextId = 1;
  const id = () => nextId++;
  const failures = new Map<string, ApiError>();
  const calls: FakeBackend['calls'] = [];
  let modelFile = options.modelFile === undefined ? 'valid' : options.modelFile;
  let responsesFile = options.responsesFile === undefined ? 'valid' : options.responsesFile;
  let engagementFile = options.engagementFile === undefined ? 'valid' : options.engagementFile;
  let pending: { token: number; round: number } | null = null;
  let nextToken = 1;
  const modelId = MODEL.key.split('@')[0];
  const models: ModelVersionInfo[] = [
    {
      key: MODEL.key,
      model_id: modelId,
      version: Number(MODEL.key.split('@')[1] ?? 1),
      title: MODEL.title,
      questions: Q,
      phases: MODEL.phases.length,
      blocks: MODEL.blocks.length,
      rounds: 0,
      imported_at: '2026-03-01T09:00:00Z',
      is_default: true,
      builtin: true,
    },
  ];
  const listModels = (): ModelVersionInfo[] =>
    models.map((m) => ({ ...m, rounds: rounds.filter((r) => r.model_key === m.key).length }));
  const defaultModel = () => models.find((m) => m.is_default)!.key;

  const emptyAnswers = (): AnswerCell[] =>
    MODEL.questions.map(() => ({ value: null, note: null }));

  function modelView(): ModelView {
    return {
      key: MODEL.key,
      title: MODEL.title,
      threshold: MODEL.threshold,
      scale: { ...MODEL.scale, labels: [...MODEL.scale.labels] },
      blocks: MODEL.blocks.map((b) => ({ ...b })),
      phases: MODEL.phases.map((p) => ({ ...p })),
      role_groups: MODEL.role_groups.map((r) => ({ ...r })),
      questions: MODEL.questions.map(({ id, block, phase, text, guidance }) => ({
        id,
        block,
        phase,
        text,
        guidance,
      })),
    };
  }

  const org = (oid: number) => {
    const o = orgs.find((x) => x.id === oid);
    if (!o) throw err('not_found', `There is no organisation ${oid}.`);
    return o;
  };
  const round = (rid: number) => {
    const r = rounds.find((x) => x.id === rid);
    if (!r) throw err('not_found', `There is no round ${rid}.`);
    return r;
  };
  const person = (pid: number) => {
    const p = people.find((x) => x.id === pid);
    if (!p) throw err('not_found', `There is no respondent ${pid}.`);
    return p;
  };
  const open = (r: Round) => {
    if (r.status === 'closed')
      throw err('round_closed', `The round “${r.title}” is closed: reopen it to change it.`);
  };

  const answered = (p: Person) => p.answers.filter((a) => a.value !== null).length;
  const row = (p: Person): RespondentRow => ({
    id: p.id,
    name: p.name,
    role_group: p.role_group,
    department: p.department,
    interview_date: p.interview_date,
    answered: answered(p),
    total: Q,
    complete: answered(p) === Q,
  });
  const roundPeople = (rid: number) => people.filter((p) => p.round === rid);
  const scoreRound = (rid: number) =>
    score(
      MODEL,
      roundPeople(rid).map((p) => ({
        role_group: p.role_group,
        answers: p.answers.map((a) => a.value),
      })),
    );
  const info = (r: Round): RoundInfo => {
    const ps = roundPeople(r.id);
    const s = scoreRound(r.id);
    return {
      id: r.id,
      organisation: r.organisation,
      organisation_name: org(r.organisation).name,
      title: r.title,
      date: r.date,
      status: r.status,
      model_key: r.model_key,
      target_phase: r.target_phase,
      phase: s.anyScale ? s.phase : null,
      respondents: ps.length,
      interviews_complete: ps.filter((p) => answered(p) === Q).length,
    };
  };
  const orgRounds = (oid: number) =>
    rounds
      .filter((r) => r.organisation === oid)
      .sort((a, b) => a.date.localeCompare(b.date) || a.created - b.created);
  const summary = (o: Org): OrganisationSummary => ({
    ...o,
    rounds: orgRounds(o.id).map((r) => {
      const i = info(r);
      return {
        id: i.id,
        title: i.title,
        date: i.date,
        status: i.status,
        phase: i.phase,
        respondents: i.respondents,
        interviews_complete: i.interviews_complete,
      };
    }),
  });
  const progress = (p: Person): Progress => ({
    answered: answered(p),
    total: Q,
    blocks: MODEL.blocks.map((b) => {
      const idx = MODEL.questions.map((q, i) => (q.block === b.id ? i : -1)).filter((i) => i >= 0);
      return {
        block: b.id,
        answered: idx.filter((i) => p.answers[i].value !== null).length,
        total: idx.length,
      };
    }),
  });
  const checkRole = (input: RespondentInput) => {
    if (!input.name.trim()) throw err('invalid', 'A respondent needs a name or a code.');
    if (!MODEL.role_groups.some((g) => g.id === input.role_group))
      throw err('invalid', `Unknown role group “${input.role_group}”.`);
  };
  const checkValue = (v: string | null) => {
    if (v === null || v === 'dk' || v === 'na') return;
    if (!/^\d+$/.test(v) || Number(v) > MODEL.scale.max)
      throw err('invalid', `“${v}” is not an answer on the 0–${MODEL.scale.max} scale.`);
  };

  const isScale = (v: string | null) => v !== null && v !== 'dk' && v !== 'na';
  const questionFigure = (index: number, a: number): QuestionFigure => {
    const q = MODEL.questions[index];
    return { question: q.id, text: q.text, phase: q.phase, attainment: a, below_threshold: a + 1e-9 < MODEL.threshold };
  };
  const blockName = (bid: string) => MODEL.blocks.find((b) => b.id === bid)?.name ?? bid;
  /** The organisation's rounds before `r` (by date, then creation), newest first. */
  const earlierRounds = (r: Round) =>
    orgRounds(r.organisation)
      .filter((x) => x.date < r.date || (x.date === r.date && x.created < r.created))
      .reverse();

  function comparison(before: Round, after: Round, later: Score): ComparisonView {
    const earlier = scoreRound(before.id);
    const moved = MODEL.questions
      .map((q, i) => {
        const a = later.questions[i];
        const b = earlier.questions[i];
        return { q, delta: a !== null && b !== null ? a - b : null };
      })
      .filter((m): m is { q: (typeof MODEL.questions)[number]; delta: number } => m.delta !== null)
      .sort((x, y) => y.delta - x.delta || x.q.id.localeCompare(y.q.id));
    const view = (m: { q: (typeof MODEL.questions)[number]; delta: number }): QuestionChangeView => ({
      question: m.q.id,
      text: m.q.text,
      block: m.q.block,
      block_name: blockName(m.q.block),
      phase: m.q.phase,
      delta: m.delta,
    });
    const same = before.model_key === after.model_key;
    return {
      basis: same ? 'same_model' : 'shared_questions',
      shared_questions: Q,
      basis_note: same
        ? null
        : `Compared on the ${Q} questions both model versions share (same id, block and phase); both rounds are rescored on them.`,
      phase_from: earlier.phase,
      phase_to: later.phase,
      blocks: later.blocks.map((b, bi) => {
        const e = earlier.blocks[bi];
        return {
          id: b.id,
          name: b.name,
          phase_from: e.reached,
          phase_to: b.reached,
          maturity_from: e.maturity,
          maturity_to: b.maturity,
          delta_maturity: b.maturity - e.maturity,
          delta_attainment: b.assessed && e.assessed ? b.attainment - e.attainment : null,
        };
      }),
      improved: moved.filter((m) => m.delta >= NOTABLE).slice(0, 5).map(view),
      slipped: [...moved].reverse().filter((m) => m.delta <= -NOTABLE).slice(0, 5).map(view),
      notable_change: NOTABLE,
    };
  }

  function alignment(rid: number, s: Score): AlignmentView {
    const groups = MODEL.role_groups
      .map((g) => ({
        g,
        members: roundPeople(rid).filter((p) => p.role_group === g.id && p.answers.some((a) => isScale(a.value))),
      }))
      .filter((x) => x.members.length > 0);
    const shown = groups
      .filter((x) => x.members.length >= ANONYMITY)
      .map(({ g, members }) => ({
        id: g.id,
        name: g.name,
        score: score(
          MODEL,
          members.map((p) => ({ role_group: p.role_group, answers: p.answers.map((a) => a.value) })),
        ),
      }));
    return {
      anonymity_threshold: ANONYMITY,
      flag_threshold: FLAG,
      groups: groups.map(({ g, members }) => {
        const hidden = members.length < ANONYMITY;
        const n = members.length;
        return {
          id: g.id,
          name: g.name,
          respondents: n,
          hidden,
          note: hidden
            ? `${g.name}: ${n} respondent${n === 1 ? '' : 's'}, fewer than the anonymity threshold of ${ANONYMITY}, so the group's figures are hidden. Its answers still count in the organisation's results.`
            : null,
        };
      }),
      blocks: MODEL.blocks.map((b, bi) => {
        const cells = shown.map(({ id: gid, score: gs }) => ({
          group: gid,
          attainment: gs.blocks[bi].assessed ? gs.blocks[bi].attainment : null,
          reached_phase: gs.blocks[bi].reached,
          lowest: MODEL.questions
            .map((q, index) => ({ q, index, a: gs.questions[index] }))
            .filter(({ q, a }) => q.block === b.id && a !== null)
            .sort((x, y) => (x.a as number) - (y.a as number) || x.index - y.index)
            .slice(0, 3)
            .map(({ index, a }) => questionFigure(index, a as number)),
        }));
        const rated = cells
          .map((c, ci) => ({ a: c.attainment, name: shown[ci].name }))
          .filter((c): c is { a: number; name: string } => c.a !== null);
        const hi = rated.reduce((m, x) => (x.a > m.a ? x : m), rated[0]);
        const lo = rated.reduce((m, x) => (x.a < m.a ? x : m), rated[0]);
        const gap = rated.length < 2 ? 0 : hi.a - lo.a;
        const flagged = gap + 1e-9 >= FLAG;
        return {
          id: b.id,
          name: b.name,
          gap,
          flagged,
          text:
            rated.length < 2
              ? `${b.name}: fewer than two role groups with figures, so there is no gap to measure.`
              : `${b.name}: gap = highest - lowest group attainment = ${figure(hi.a)} (${hi.name}) - ${figure(lo.a)} (${lo.name}) = ${figure(gap)}, ${flagged ? 'at or above' : 'below'} the flag at ${figure(FLAG)} (a full step on the scale).`,
          cells,
        };
      }),
    };
  }

  function loadDemo(): number {
    const oid = id();
    orgs.push({ id: oid, name: 'Northwind Energy', archived: false, created_at: '2026-03-01T09:00:00Z' });
    const plans: [string, string, number, number, RoundStatus, number][] = [
      ['Baseline assessment', '2026-03-10', 2, 12, 'closed', 1.55],
      ['Six-month review', '2026-09-08', 3, 14, 'open', 2.55],
    ];
    const rand = rng(20260310);
    const difficulty = MODEL.questions.map(() => (rand() - 0.5) * 0.5);
    const blockLevel = [0.2, -0.15, 0.35, -0.3];
    for (const [title, date, target, count, status, level] of plans) {
      const rid = id();
      rounds.push({
        id: rid,
        organisation: oid,
        title,
        date,
        status,
        target_phase: target,
        model_key: MODEL.key,
        created: rid,
      });
      PEOPLE.slice(0, count).forEach(([name, role, department], i) => {
        const answers = emptyAnswers();
        const upTo = status === 'open' && i === count - 1 ? 38 : status === 'open' && i === count - 2 ? 0 : Q;
        MODEL.questions.forEach((q, qi) => {
          if (qi >= upTo) return;
          const b = MODEL.blocks.findIndex((x) => x.id === q.block);
          const bias = role === 'executive' ? 0.5 : role === 'front-line' ? -0.45 : 0;
          const into = level + blockLevel[b] + bias - (q.phase - 1) - difficulty[qi];
          const expected = MODEL.scale.max / (1 + Math.exp(-3 * (into - 0.634)));
          const roll = rand();
          let value: string;
          if (roll < 0.03) value = 'dk';
          else if (roll > 0.993) value = 'na';
          else value = String(Math.max(0, Math.min(MODEL.scale.max, Math.round(expected + (rand() - 0.5) * 1.3))));
          answers[qi] = { value, note: rand() < 0.06 ? NOTES[b] : null };
        });
        people.push({
          id: id(),
          round: rid,
          name,
          role_group: role,
          department,
          interview_date: upTo === 0 ? null : `${date.slice(0, 7)}-${String(10 + (i % 12)).padStart(2, '0')}`,
          answers,
        });
      });
    }
    return oid;
  }

  // Settings and backups: a backup is a deep copy of the fake's data, so a restore
  // really brings the old data back. Backup times come from a fake clock.
  let logoFile: FakeLogoFile = options.logoFile === undefined ? 'valid' : options.logoFile;
  let preparedBy = '';
  let attributeQuotes = false;
  let damaged = options.health === 'damaged';
  let healthCalls = 0;
  let logo: { data_url: string; width: number; height: number } | null = null;
  let backupOptions = { enabled: true, keep: 10 };
  let clock = Date.parse('2026-09-01T08:30:00Z');
  interface Snapshot {
    orgs: Org[];
    rounds: Round[];
    people: Person[];
    nextId: number;
    preparedBy: string;
    attributeQuotes: boolean;
    logo: typeof logo;
  }
  const backups: { entry: BackupEntry; data: Snapshot }[] = [];
  const snapshot = (): Snapshot => JSON.parse(JSON.stringify({ orgs, rounds, people, nextId, preparedBy, attributeQuotes, logo }));
  const stamp = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const backUp = (reason: BackupEntry['reason']): BackupEntry => {
    clock += 7 * 60_000;
    const created = stamp(clock);
    const entry: BackupEntry = {
      file_name: `cxm-backup-${created.replace(/[-:]/g, '').replace('T', '-').replace('Z', '')}-${reason === 'before_restore' ? 'before-restore' : reason === 'automatic' ? 'auto' : reason}.sqlite`,
      created_at: created,
      bytes: 180_224 + 4096 * people.length,
      reason,
    };
    backups.unshift({ entry, data: snapshot() });
    return entry;
  };
  const prune = () => backups.splice(backupOptions.keep);
  if (options.seed === 'demo') {
    loadDemo();
    clock = Date.parse('2026-08-31T08:00:00Z');
    backUp('automatic');
    clock = Date.parse('2026-09-01T08:30:00Z');
  }
  const settingsImpl = {
    settings(): SettingsView {
      return {
        prepared_by: preparedBy,
        prepared_by_max: 200,
        logo,
        attribute_quotes: attributeQuotes,
        thresholds: {
          model_key: defaultModel(),
          model_title: MODEL.title,
          mastery_threshold: MODEL.threshold,
          anonymity_threshold: ANONYMITY,
          flag_threshold: FLAG,
        },
        db_path: FAKE_DB_PATH,
        backup_dir: FAKE_DB_PATH.replace(/cxm\.sqlite$/, 'backups'),
        backups: {
          enabled: backupOptions.enabled,
          keep: backupOptions.keep,
          max_keep: 100,
          list: backups.map((b) => b.entry),
          automatic_error: null,
        },
      };
    },
    setPreparedBy(text: string) {
      const t = text.trim();
      if (t.length > 200) throw err('invalid', `the "prepared by" text is too long (${t.length} characters; at most 200)`);
      preparedBy = t;
    },
    setAttributeQuotes(on: boolean) {
      attributeQuotes = on;
    },
    chooseLogo(): ChooseLogoOutcome {
      if (logoFile === null) return { logo: null };
      if (logoFile === 'not-image') throw err('invalid', 'logo.txt is not a PNG or JPEG image');
      if (logoFile === 'too-large')
        throw err('invalid', 'poster.png is too large (12000 × 9000 pixels; a logo can be at most 10000 × 10000)');
      logo = { data_url: FAKE_LOGO_DATA_URL, width: 120, height: 40 };
      return { logo };
    },
    removeLogo() {
      logo = null;
    },
    setBackupOptions(enabled: boolean, keep: number) {
      if (!Number.isInteger(keep) || keep < 1 || keep > 100)
        throw err('invalid', `the number of backups to keep must be 1 to 100, not ${keep}`);
      backupOptions = { enabled, keep };
      prune();
    },
    backUpNow(): BackupEntry {
      const e = backUp('manual');
      prune();
      return e;
    },
    restoreBackup(fileName: string): RestoreOutcome {
      const chosen = backups.find((b) => b.entry.file_name === fileName);
      if (!chosen) throw err('not_found', `there is no backup named "${fileName}"`);
      const safety = backUp('before_restore');
      const d: Snapshot = JSON.parse(JSON.stringify(chosen.data));
      orgs.splice(0, orgs.length, ...d.orgs);
      rounds.splice(0, rounds.length, ...d.rounds);
      people.splice(0, people.length, ...d.people);
      nextId = d.nextId;
      preparedBy = d.preparedBy;
      attributeQuotes = d.attributeQuotes;
      logo = d.logo;
      // The database now in use is the backup, which was checked.
      const keptDamaged = damaged;
      damaged = false;
      return { restored: chosen.entry, safety_backup: safety, kept_damaged: keptDamaged };
    },
    revealDatabase() {
      return true;
    },
  };

  const impl = {
    appStatus(): AppStatus {
      return options.dbError
        ? {
            db_path: '/home/consultant/.local/share/io.cxmaturity.app/cxm.sqlite',
            error: err(
              'not_a_cxm_database',
              'The file is not a CX Maturity database (its application id is 0x00000000); it was left untouched.',
            ),
            organisations: 0,
          }
        : {
            db_path: '/home/consultant/.local/share/io.cxmaturity.app/cxm.sqlite',
            error: null,
            organisations: orgs.length,
          };
    },
    databaseHealth(): DatabaseHealth {
      healthCalls += 1;
      const checked = healthCalls > 1;
      return {
        checked,
        damage:
          checked && damaged
            ? `${FAKE_DB_PATH} is damaged (*** in database main *** Tree 12 page 40 cell 3: invalid page number 4008636142). No backup was made, so your existing backups are kept as they are: restore the last good backup (Settings → Backups in the app, or \`cxm restore FILE --yes\`); keep a copy of the damaged file if you want it examined`
            : null,
        read_only:
          options.health === 'read-only'
            ? 'The database is open read-only (its folder /media/usb/cx cannot be written): you can look at everything, but nothing you change can be saved. Move it to a folder you can write to, or ask for write access.'
            : null,
      };
    },
    listOrganisations(includeArchived: boolean) {
      return orgs
        .filter((o) => includeArchived || !o.archived)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map(summary);
    },
    createOrganisation(name: string) {
      const n = name.trim();
      if (!n) throw err('invalid', 'An organisation needs a name.');
      if (orgs.some((o) => o.name.toLowerCase() === n.toLowerCase()))
        throw err('conflict', `There is already an organisation called “${n}”.`);
      const oid = id();
      orgs.push({ id: oid, name: n, archived: false, created_at: new Date().toISOString() });
      return oid;
    },
    renameOrganisation(oid: number, name: string) {
      const n = name.trim();
      if (!n) throw err('invalid', 'An organisation needs a name.');
      if (orgs.some((o) => o.id !== oid && o.name.toLowerCase() === n.toLowerCase()))
        throw err('conflict', `There is already an organisation called “${n}”.`);
      org(oid).name = n;
    },
    archiveOrganisation(oid: number) {
      org(oid).archived = true;
    },
    restoreOrganisation(oid: number) {
      org(oid).archived = false;
    },
    loadDemo,
    organisationPage(oid: number) {
      const o = org(oid);
      const rs = orgRounds(oid).map(info);
      const last = [...rs].reverse().find((r) => r.phase !== null);
      return {
        organisation: summary(o),
        rounds: rs,
        trend_svg: rs.some((r) => r.phase !== null) ? trendSvg : null,
        models: listModels(),
        default_model: defaultModel(),
        suggested_target: last ? Math.min(MODEL.phases.length, (last.phase ?? 0) + 1) : null,
      };
    },
    createRound(input: {
      organisation: number;
      title: string;
      date: string;
      target_phase: number | null;
      model: string | null;
      copy_respondents_from: number | null;
    }) {
      org(input.organisation);
      if (!input.title.trim()) throw err('invalid', 'A round needs a title.');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date)) throw err('invalid', `“${input.date}” is not a date (YYYY-MM-DD).`);
      const chosen =
        input.model === null || input.model.trim() === ''
          ? defaultModel()
          : (models.find((m) => m.key === input.model) ??
              [...models].reverse().find((m) => m.model_id === input.model))?.key;
      if (!chosen) throw err('not_found', `model ${input.model} not found`);
      const rid = id();
      rounds.push({
        id: rid,
        organisation: input.organisation,
        title: input.title.trim(),
        date: input.date,
        status: 'open',
        target_phase: input.target_phase,
        model_key: chosen,
        created: rid,
      });
      if (input.copy_respondents_from !== null) {
        for (const p of roundPeople(round(input.copy_respondents_from).id)) {
          people.push({ ...p, id: id(), round: rid, interview_date: null, answers: emptyAnswers() });
        }
      }
      return rid;
    },
    deleteRound(rid: number) {
      round(rid);
      rounds.splice(rounds.findIndex((r) => r.id === rid), 1);
      for (let i = people.length - 1; i >= 0; i--) if (people[i].round === rid) people.splice(i, 1);
    },
    roundPage(rid: number) {
      const r = round(rid);
      const ps = roundPeople(rid);
      return {
        info: info(r),
        model: { ...modelView(), key: r.model_key },
        respondents: ps.map(row),
        answered_per_question: MODEL.questions.map((_, i) => ps.filter((p) => p.answers[i].value !== null).length),
      };
    },
    closeRound(rid: number) {
      round(rid).status = 'closed';
    },
    reopenRound(rid: number) {
      round(rid).status = 'open';
    },
    addRespondent(rid: number, input: RespondentInput) {
      open(round(rid));
      checkRole(input);
      const pid = id();
      people.push({
        id: pid,
        round: rid,
        name: input.name.trim(),
        role_group: input.role_group,
        department: input.department,
        interview_date: input.interview_date,
        answers: emptyAnswers(),
      });
      return pid;
    },
    updateRespondent(pid: number, input: RespondentInput) {
      const p = person(pid);
      open(round(p.round));
      checkRole(input);
      Object.assign(p, {
        name: input.name.trim(),
        role_group: input.role_group,
        department: input.department,
        interview_date: input.interview_date,
      });
    },
    removeRespondent(pid: number) {
      const p = person(pid);
      open(round(p.round));
      people.splice(people.indexOf(p), 1);
    },
    questionnaire(pid: number) {
      const p = person(pid);
      const first = p.answers.findIndex((a) => a.value === null);
      return {
        respondent: row(p),
        round: info(round(p.round)),
        model: modelView(),
        answers: p.answers.map((a) => ({ ...a })),
        resume_index: first < 0 ? 0 : first,
      };
    },
    setAnswer(pid: number, questionId: string, value: string | null) {
      const p = person(pid);
      open(round(p.round));
      const i = MODEL.questions.findIndex((q) => q.id === questionId);
      if (i < 0) throw err('not_found', `There is no question ${questionId}.`);
      checkValue(value);
      p.answers[i].value = value;
      return progress(p);
    },
    setNote(pid: number, questionId: string, note: string | null) {
      const p = person(pid);
      open(round(p.round));
      const i = MODEL.questions.findIndex((q) => q.id === questionId);
      if (i < 0) throw err('not_found', `There is no question ${questionId}.`);
      p.answers[i].note = note && note.length > 0 ? note : null;
    },
    results(rid: number, compareWith: number | null): ResultsView {
      const r = round(rid);
      const s = scoreRound(rid);
      const i = info(r);
      const earlier = earlierRounds(r);
      let cmp: Round | null = earlier[0] ?? null;
      if (compareWith === NO_COMPARISON) cmp = null;
      else if (compareWith !== null) {
        if (compareWith === rid) throw err('invalid', `compare round ${rid} with a different round, not with itself`);
        const other = round(compareWith);
        if (other.organisation !== r.organisation)
          throw err('invalid', `round ${compareWith} belongs to another organisation: compare rounds of one organisation`);
        if (!earlier.includes(other))
          throw err('invalid', `round ${compareWith} is later than round ${rid}: the comparison round must be an earlier one`);
        cmp = other;
      }
      return {
        info: i,
        provisional: r.status === 'open',
        respondents: i.respondents,
        interviews_complete: i.interviews_complete,
        organisation_phase: s.phase,
        phase_name: s.phase === 0 ? '' : MODEL.phases[s.phase - 1].name,
        bottleneck: s.bottleneck,
        explanations: {
          organisation: s.organisation,
          blocks: s.blocks.map((b) => ({
            block: b.id,
            text: b.explanation,
            maturity: b.maturityText,
            lowest: b.lowest.map((l) => questionFigure(l.index, l.a)),
          })),
        },
        blocks: s.blocks.map((b) => ({
          id: b.id,
          name: b.name,
          reached_phase: b.reached,
          maturity: b.maturity,
          attainment: b.assessed ? b.attainment : null,
        })),
        actions: s.actions,
        not_yet_assessed: s.notYetAssessed,
        charts: {
          radar: radarSvg,
          ladder: ladderSvg,
          trend: orgRounds(r.organisation).length > 1 ? trendSvg : null,
          heatmap: heatmapSvg,
        },
        compared_with: cmp ? info(cmp) : null,
        comparison: cmp ? comparison(cmp, r, s) : null,
        comparable_rounds: earlier.map(info),
        target:
          r.target_phase === null
            ? null
            : {
                phase: r.target_phase,
                phase_name: MODEL.phases[r.target_phase - 1]?.name ?? '',
                reached: s.phase >= r.target_phase,
                text:
                  s.phase >= r.target_phase
                    ? `The round's target, phase ${r.target_phase}, is reached.`
                    : `The round's target was phase ${r.target_phase} (${MODEL.phases[r.target_phase - 1]?.name}); it is not reached yet.`,
              },
        alignment: alignment(rid, s),
      };
    },
    listModels() {
      return listModels();
    },
    importModel(): ImportModelOutcome {
      if (modelFile === null) return { model: null, already_present: false };
      if (modelFile === 'broken') throw err('invalid_model', FAKE_BROKEN_MODEL_MESSAGE);
      const key = `${modelId}@2`;
      if (!models.some((m) => m.key === key)) {
        for (const m of models) m.is_default = false;
        models.push({
          ...models[0],
          key,
          version: 2,
          imported_at: '2026-09-01T10:00:00Z',
          is_default: true,
          builtin: false,
        });
        return { model: listModels().find((m) => m.key === key)!, already_present: false };
      }
      return { model: listModels().find((m) => m.key === key)!, already_present: true };
    },
    exportPdf(rid: number, _compareWith: number | null) {
      const r = round(rid);
      const name = `${org(r.organisation).name} - ${r.title}.pdf`;
      return { path: `/home/consultant/Documents/${name}`, opened: true };
    },
    ...settingsImpl,
    exportRound(rid: number, format: RoundExportFormat) {
      const r = round(rid);
      const what = { answers_csv: 'answers.csv', answers_json: 'answers.json', actions_csv: 'actions.csv' }[format];
      return { path: `/home/consultant/Documents/${org(r.organisation).name} - ${r.title} - ${what}`, opened: false };
    },
    previewResponses(rid: number): ResponsesPreview | null {
      const r = round(rid);
      pending = null;
      if (responsesFile === null) return null;
      const preview: ResponsesPreview = {
        token: null,
        file_name: FAKE_SURVEY.name,
        round: rid,
        respondents: [],
        blocks: [],
        answers: 0,
        issues: [],
        more_issues: false,
      };
      if (responsesFile === 'broken') {
        preview.issues = FAKE_SURVEY_ISSUES.map((i) => ({ ...i }));
      } else {
        FAKE_SURVEY.people.forEach(([name, role, department, n], i) => {
          preview.respondents.push({
            line: i + 2,
            name,
            role_group: role,
            role_name: MODEL.role_groups.find((g) => g.id === role)?.name ?? role,
            department,
            answers: n,
          });
          if (roundPeople(rid).some((p) => p.name.toLowerCase() === name.toLowerCase()))
            preview.issues.push({
              line: i + 2,
              column: 1,
              column_name: 'respondent',
              message: `respondent \`${name}\` is already in this round (remove the row, or rename the respondent)`,
            });
        });
        preview.answers = preview.respondents.reduce((a, p) => a + p.answers, 0);
        preview.blocks = MODEL.blocks.map((b, i) => ({
          id: b.id,
          name: b.name,
          questions: MODEL.questions.filter((q) => q.block === b.id).length,
          columns: i < 2 ? 9 : 0,
          answers: i === 0 ? 27 : i === 1 ? 21 : 0,
        }));
      }
      if (r.status === 'closed')
        preview.issues.unshift({
          line: null,
          column: null,
          column_name: null,
          message: `round ${rid} is closed: its answers are read-only; reopen it to import`,
        });
      if (preview.issues.length === 0) {
        pending = { token: nextToken++, round: rid };
        preview.token = pending.token;
      }
      return preview;
    },
    importResponses(token: number): ImportResponsesOutcome {
      if (!pending || pending.token !== token)
        throw err('stale_preview', 'this preview is no longer current: choose the file again');
      const rid = pending.round;
      pending = null;
      open(round(rid));
      let answers = 0;
      for (const [name, role, department, n] of FAKE_SURVEY.people) {
        const cells = emptyAnswers();
        const blocks = MODEL.blocks.slice(0, 2).map((b) => b.id);
        let given = 0;
        MODEL.questions.forEach((q, qi) => {
          if (given < n && blocks.includes(q.block) && q.phase <= 3) {
            cells[qi] = { value: String((qi + name.length) % 5), note: null };
            given++;
          }
        });
        answers += given;
        people.push({ id: id(), round: rid, name, role_group: role, department, interview_date: null, answers: cells });
      }
      return { respondents: FAKE_SURVEY.people.length, answers };
    },
    discardResponses(token: number) {
      if (pending?.token === token) pending = null;
    },
    exportEngagement(oid: number) {
      return { path: `/home/consultant/Documents/${org(oid).name} - engagement.json`, opened: false };
    },
    importEngagement(): ImportEngagementOutcome {
      const none = { organisation: null, name: '', renamed: false, rounds: 0, respondents: 0, answers: 0, models_added: [] };
      if (engagementFile === null) return none;
      if (engagementFile === 'damaged')
        throw err(
          'damaged_engagement_file',
          'northwind.json: the engagement file is damaged (it is truncated: it ends at line 8 before the data is complete); nothing was imported',
        );
      const taken = orgs.some((o) => o.name === 'Northwind Energy');
      const oid = loadDemo();
      const o = org(oid);
      if (taken) o.name = 'Northwind Energy (imported 2026-11-23)';
      const ps = people.filter((p) => rounds.some((r) => r.organisation === oid && r.id === p.round));
      return {
        organisation: oid,
        name: o.name,
        renamed: taken,
        rounds: rounds.filter((r) => r.organisation === oid).length,
        respondents: ps.length,
        answers: ps.reduce((a, p) => a + answered(p), 0),
        models_added: [],
      };
    },
  };

  const commands: Record<keyof typeof impl, string> = {
    appStatus: 'app_status',
    databaseHealth: 'database_health',
    listOrganisations: 'list_organisations',
    createOrganisation: 'create_organisation',
    renameOrganisation: 'rename_organisation',
    archiveOrganisation: 'archive_organisation',
    restoreOrganisation: 'restore_organisation',
    loadDemo: 'load_demo',
    organisationPage: 'organisation_page',
    createRound: 'create_round',
    deleteRound: 'delete_round',
    roundPage: 'round_page',
    closeRound: 'close_round',
    reopenRound: 'reopen_round',
    addRespondent: 'add_respondent',
    updateRespondent: 'update_respondent',
    removeRespondent: 'remove_respondent',
    questionnaire: 'questionnaire',
    setAnswer: 'set_answer',
    setNote: 'set_note',
    results: 'results',
    exportPdf: 'export_pdf',
    listModels: 'list_models',
    importModel: 'import_model',
    settings: 'settings',
    setPreparedBy: 'set_prepared_by',
    setAttributeQuotes: 'set_attribute_quotes',
    chooseLogo: 'choose_logo',
    removeLogo: 'remove_logo',
    setBackupOptions: 'set_backup_options',
    backUpNow: 'back_up_now',
    restoreBackup: 'restore_backup',
    revealDatabase: 'reveal_database',
    exportRound: 'export_round',
    previewResponses: 'preview_responses',
    importResponses: 'import_responses',
    discardResponses: 'discard_responses',
    exportEngagement: 'export_engagement',
    importEngagement: 'import_engagement',
  };

  // The synchronous implementation must match the Backend interface, method by method.
  type Sync = { [K in keyof Backend]: (...a: Parameters<Backend[K]>) => Awaited<ReturnType<Backend[K]>> };
  const typed: Sync = impl;

  const fake = {
    calls,
    failNext(c: string, e: ApiError) {
      failures.set(c, e);
    },
    pickModelFile(file: 'valid' | 'broken' | null) {
      modelFile = file;
    },
    pickLogoFile(file: FakeLogoFile) {
      logoFile = file;
    },
    pickResponsesFile(file: 'valid' | 'broken' | null) {
      responsesFile = file;
    },
    pickEngagementFile(file: 'valid' | 'damaged' | null) {
      engagementFile = file;
    },
  } as unknown as FakeBackend;
  for (const [method, command] of Object.entries(commands) as [keyof typeof impl, string][]) {
    const f = typed[method] as (...a: unknown[]) => unknown;
    (fake as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      calls.push({ command, args });
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      const failure = failures.get(command);
      if (failure) {
        failures.delete(command);
        throw { ...failure };
      }
      const out = f(...args);
      // A copy, as IPC would give: the UI cannot change the fake's state by accident.
      return out === undefined ? undefined : JSON.parse(JSON.stringify(out));
    };
  }
  return fake;
}

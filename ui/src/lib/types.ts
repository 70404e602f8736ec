// The data that crosses IPC, as docs/app-api.md describes it.
//
// These mirror the Rust types by hand until the generated ts-rs bindings land in
// ./bindings/; then this file only re-exports them (the names stay the same, so
// nothing else in the UI changes).

/** The one error shape that crosses IPC. */
export interface ApiError {
  code: string;
  message: string;
}

export type RoundStatus = 'open' | 'closed';

export interface AppStatus {
  db_path: string;
  error: ApiError | null;
  organisations: number;
}

export interface RoundSummary {
  id: number;
  title: string;
  date: string;
  status: RoundStatus;
  phase: number | null;
  respondents: number;
  interviews_complete: number;
}

export interface OrganisationSummary {
  id: number;
  name: string;
  archived: boolean;
  created_at: string;
  rounds: RoundSummary[];
}

export interface RoundInfo {
  id: number;
  organisation: number;
  organisation_name: string;
  title: string;
  date: string;
  status: RoundStatus;
  model_key: string;
  target_phase: number | null;
  phase: number | null;
  respondents: number;
  interviews_complete: number;
}

export interface ModelVersionInfo {
  key: string;
  title: string;
}

export interface OrganisationPage {
  organisation: OrganisationSummary;
  rounds: RoundInfo[];
  trend_svg: string | null;
  models: ModelVersionInfo[];
  default_model: string;
  suggested_target: number | null;
}

export interface NewRoundInput {
  organisation: number;
  title: string;
  date: string;
  target_phase: number | null;
  model: string | null;
  copy_respondents_from: number | null;
}

export interface ScaleView {
  max: number;
  labels: string[];
  dont_know: string;
  not_applicable: string;
}

export interface BlockView {
  id: string;
  name: string;
}

export interface PhaseView {
  number: number;
  name: string;
  description: string;
}

export interface RoleGroupView {
  id: string;
  name: string;
}

export interface QuestionView {
  id: string;
  block: string;
  phase: number;
  text: string;
  guidance: string;
}

export interface ModelView {
  key: string;
  title: string;
  threshold: number;
  scale: ScaleView;
  blocks: BlockView[];
  phases: PhaseView[];
  role_groups: RoleGroupView[];
  questions: QuestionView[];
}

export interface RespondentRow {
  id: number;
  name: string;
  role_group: string;
  department: string | null;
  interview_date: string | null;
  answered: number;
  total: number;
  complete: boolean;
}

export interface RoundPage {
  info: RoundInfo;
  model: ModelView;
  respondents: RespondentRow[];
}

export interface RespondentInput {
  name: string;
  role_group: string;
  department: string | null;
  interview_date: string | null;
}

export interface AnswerCell {
  value: string | null;
  note: string | null;
}

export interface Questionnaire {
  respondent: RespondentRow;
  round: RoundInfo;
  model: ModelView;
  answers: AnswerCell[];
  resume_index: number;
}

export interface BlockProgress {
  block: string;
  answered: number;
  total: number;
}

export interface Progress {
  answered: number;
  total: number;
  blocks: BlockProgress[];
}

export interface BlockExplanation {
  block: string;
  text: string;
}

export interface Explanations {
  organisation: string;
  blocks: BlockExplanation[];
}

export interface BlockResult {
  id: string;
  name: string;
  reached_phase: number;
  maturity: number;
  attainment: number;
}

export interface ActionView {
  tier: number;
  block: string;
  block_name: string;
  question: string;
  text: string;
  phase: number;
  attainment: number;
  priority: number;
  recommendation: string;
  explanation: string;
}

export interface NotYetAssessed {
  block: string;
  question: string;
  text: string;
  phase: number;
}

export interface Charts {
  radar: string;
  ladder: string;
  trend: string | null;
  heatmap: string;
}

export interface ResultsView {
  info: RoundInfo;
  provisional: boolean;
  respondents: number;
  interviews_complete: number;
  organisation_phase: number;
  phase_name: string;
  bottleneck: string[];
  explanations: Explanations;
  blocks: BlockResult[];
  actions: ActionView[];
  not_yet_assessed: NotYetAssessed[];
  charts: Charts;
  compared_with: RoundInfo | null;
}

export interface ExportOutcome {
  path: string | null;
  opened: boolean;
}

/** An answer as sent to `set_answer`: "0".."S", "dk", "na", or null to clear. */
export type AnswerValue = string | null;

import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/*
 * The typed Database, one interface per table, grouped by domain. Matches
 * db/migrations; the migration test checks every table and column here exists.
 * int8 and numeric arrive as numbers, `date` as "YYYY-MM-DD", timestamptz as Date (db/client.ts).
 */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Id = Generated<number>;
/** A calendar date, "YYYY-MM-DD" (Europe/London calendar). */
export type IsoDate = string;
type Json<T> = ColumnType<T, string | T, string | T>;
type JsonDefault<T> = ColumnType<T, string | T | undefined, string | T>;

export type AgencyType =
  | "probation"
  | "crc"
  | "police"
  | "local_authority"
  | "health"
  | "fire"
  | "prisons"
  | "courts"
  | "youth_justice"
  | "voluntary"
  | "other";
export type BoardType =
  | "lcjb"
  | "csp"
  | "reducing_reoffending"
  | "mappa_smb"
  | "youth_justice"
  | "regional_group"
  | "other";
export type BoardLevel = "local" | "regional" | "national";
export type BoardFrequency =
  | "weekly"
  | "fortnightly"
  | "monthly"
  | "bimonthly"
  | "quarterly"
  | "biannual"
  | "annual"
  | "ad_hoc";
export type Role = "admin" | "leader" | "secretary" | "member" | "partner";
export type MembershipRole = "chair" | "vice_chair" | "secretary" | "member" | "adviser" | "observer";
export type MeetingFormat = "in_person" | "virtual" | "hybrid";
export type MeetingStatus = "scheduled" | "held" | "cancelled";
export type AgendaPurpose = "decision" | "discussion" | "information";
export type Classification = "official" | "official_sensitive";
export type StandingKind = "previous_minutes" | "matters_arising" | "action_log_review";
export type AttendanceStatus = "invited" | "attended" | "apologies" | "absent" | "deputy";
export type AttendanceMode = "in_person" | "remote";
export type MinutesStatus = "draft" | "circulated" | "approved" | "published";
export type ActionStatus = "open" | "in_progress" | "done" | "dropped";
export type Rag = "red" | "amber" | "green";
export type JobStatus = "pending" | "running" | "done" | "failed";
export type ReminderFrequency = "each" | "weekly";
export type DeliveryStatus = "sending" | "sent" | "failed";

// ── Workspaces, users, sessions ──────────────────────────────────────────────────────

export interface WorkspacesTable {
  id: Id;
  slug: string;
  name: string;
  annual_working_hours: Generated<number>;
  default_on_cost_pct: Generated<number>;
  default_overhead_pct: Generated<number>;
  default_mileage_pence: Generated<number>;
  review_cost_per_outcome_pence: Generated<number>;
  stop_information_share_pct: Generated<number>;
  review_attendance_share_pct: Generated<number>;
  audit_retention_days: Generated<number>;
  require_two_factor_for_privileged: Generated<boolean>;
  is_demo: Generated<boolean>;
  /** Every held meeting that started before this has a rollup row (app/costs/rollups.server.ts). */
  rollups_complete_until: Date | null;
  /** The verdict thresholds changed: the next refresh re-judges every rollup's stored figures. */
  rollup_verdicts_stale: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: DefaultTimestamp;
}

export interface UsersTable {
  id: Id;
  email: string;
  name: string;
  password_hash: string | null;
  disabled_at: NullableTimestamp;
  totp_key: Uint8Array | null;
  password_changed_at: NullableTimestamp;
  /** Action reminders one by one, or in one weekly digest. */
  reminder_frequency: Generated<ReminderFrequency>;
  created_at: CreatedAt;
  updated_at: DefaultTimestamp;
}

export interface SessionsTable {
  id: string;
  secret_hash: Uint8Array;
  user_id: number;
  workspace_id: number | null;
  two_factor_verified: Generated<boolean>;
  created_at: CreatedAt;
  last_seen_at: DefaultTimestamp;
  expires_at: Timestamp;
  user_agent: string | null;
  ip: string | null;
}

export interface RecoveryCodesTable {
  id: Id;
  user_id: number;
  code_hash: string;
  used_at: NullableTimestamp;
}

export interface PasskeysTable {
  id: Uint8Array;
  user_id: number;
  name: string;
  public_key: Uint8Array;
  algorithm: number;
  sign_count: Generated<number>;
  created_at: CreatedAt;
  last_used_at: NullableTimestamp;
}

export interface OneTimeTokensTable {
  token_hash: string;
  purpose: "password_reset" | "webauthn_challenge" | "feedback";
  user_id: number | null;
  payload: JsonDefault<Record<string, unknown>>;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface SignInAttemptsTable {
  id: Id;
  email: string;
  ip: string;
  succeeded: boolean;
  attempted_at: DefaultTimestamp;
}

export interface RateLimitBucketsTable {
  key: string;
  window_start: Timestamp;
  hits: Generated<number>;
}

export interface WorkspaceUsersTable {
  workspace_id: number;
  user_id: number;
  person_id: number | null;
  created_at: CreatedAt;
}

export interface RoleGrantsTable {
  workspace_id: number;
  id: Id;
  user_id: number;
  role: Role;
  board_id: number | null;
  agency_id: number | null;
  created_at: CreatedAt;
}

export interface InvitationsTable {
  workspace_id: number;
  id: Id;
  email: string;
  role: Role;
  board_id: number | null;
  agency_id: number | null;
  token_hash: string;
  invited_by: number | null;
  expires_at: Timestamp;
  accepted_at: NullableTimestamp;
  created_at: CreatedAt;
}

// ── Agencies, rate cards, people ───────────────────────────────────────────────────────

export interface AgenciesTable {
  workspace_id: number;
  id: Id;
  name: string;
  short_name: string | null;
  type: AgencyType;
  /** null: the workspace default applies. */
  on_cost_pct: number | null;
  overhead_pct: number | null;
  mileage_pence: number | null;
  archived_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: DefaultTimestamp;
}

export interface GradesTable {
  workspace_id: number;
  id: Id;
  agency_id: number;
  name: string;
  position: Generated<number>;
  created_at: CreatedAt;
}

export interface GradeRatesTable {
  workspace_id: number;
  id: Id;
  grade_id: number;
  effective_from: IsoDate;
  annual_salary_pence: number;
  created_at: CreatedAt;
}

export interface PeopleTable {
  workspace_id: number;
  id: Id;
  agency_id: number;
  grade_id: number | null;
  full_name: string;
  email: string | null;
  job_title: string | null;
  usual_travel_minutes: Generated<number>;
  archived_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: DefaultTimestamp;
}

export interface InterestsTable {
  workspace_id: number;
  id: Id;
  person_id: number;
  description: string;
  declared_on: IsoDate;
  ended_on: IsoDate | null;
  created_at: CreatedAt;
}

// ── Boards and meetings ────────────────────────────────────────────────────────────────

export interface BoardsTable {
  workspace_id: number;
  id: Id;
  name: string;
  slug: string;
  type: BoardType;
  level: BoardLevel;
  terms_of_reference: Generated<string>;
  quorum: Generated<number>;
  default_duration_minutes: Generated<number>;
  preparation_minutes: Generated<number>;
  frequency: BoardFrequency;
  visibility: Generated<"public" | "private">;
  sensitive_items_public: Generated<"restricted" | "hidden">;
  archived_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: DefaultTimestamp;
}

export interface MembershipsTable {
  workspace_id: number;
  id: Id;
  board_id: number;
  person_id: number;
  agency_id: number;
  role: MembershipRole;
  from_date: IsoDate;
  to_date: IsoDate | null;
  created_at: CreatedAt;
}

export interface MeetingSeriesTable {
  workspace_id: number;
  id: Id;
  board_id: number;
  rule: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface MeetingsTable {
  workspace_id: number;
  id: Id;
  board_id: number;
  series_id: number | null;
  starts_at: Timestamp;
  duration_minutes: number;
  format: MeetingFormat;
  location: Generated<string>;
  venue_cost_pence: Generated<number>;
  catering_cost_pence: Generated<number>;
  status: Generated<MeetingStatus>;
  cancelled_reason: string | null;
  sequence: Generated<number>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: DefaultTimestamp;
}

export interface AgendaItemsTable {
  workspace_id: number;
  id: Id;
  meeting_id: number;
  position: number;
  title: string;
  purpose: AgendaPurpose;
  presenter_person_id: number | null;
  minutes_allowed: Generated<number>;
  classification: Generated<Classification>;
  standing_kind: StandingKind | null;
  description: Generated<string>;
  created_at: CreatedAt;
  updated_at: DefaultTimestamp;
}

export interface PapersTable {
  workspace_id: number;
  id: Id;
  agenda_item_id: number;
  filename: string;
  content_type: string;
  size_bytes: number;
  content: Uint8Array;
  uploaded_by: number | null;
  created_at: CreatedAt;
}

export interface AttendanceTable {
  workspace_id: number;
  id: Id;
  meeting_id: number;
  person_id: number;
  status: Generated<AttendanceStatus>;
  deputy_person_id: number | null;
  /** null: present for the whole meeting. */
  minutes_present: number | null;
  mode: Generated<AttendanceMode>;
  travel_minutes: Generated<number>;
  miles: Generated<number>;
  other_expenses_pence: Generated<number>;
  created_at: CreatedAt;
  updated_at: DefaultTimestamp;
}

export interface DeclarationsTable {
  workspace_id: number;
  id: Id;
  meeting_id: number;
  agenda_item_id: number | null;
  person_id: number;
  interest_id: number | null;
  text: string;
  created_at: CreatedAt;
}

export interface MeetingFeedbackTable {
  workspace_id: number;
  id: Id;
  meeting_id: number;
  person_id: number;
  score: number;
  comment: string | null;
  created_at: CreatedAt;
  updated_at: DefaultTimestamp;
}

// ── Rollups (materialised per-meeting figures; app/costs/rollups.server.ts) ─────────────

export type Verdict = "worth_holding" | "review" | "consider_stopping";

export interface MeetingRollupsTable {
  workspace_id: number;
  meeting_id: number;
  board_id: number;
  held_on: IsoDate;
  cost_pence: number;
  person_minutes: number;
  invited: number;
  attended: number;
  apologies: number;
  absent: number;
  deputies: number;
  agencies_present: number;
  quorum: number;
  quorum_met: boolean;
  items: number;
  information_items: number;
  decisions: number;
  actions_raised: number;
  actions_completed_since_previous: number;
  outcomes: number;
  feedback_count: number;
  feedback_average: number | null;
  verdict: Verdict;
  reasons: Json<string[]>;
  stale: Generated<boolean>;
  refreshed_at: NullableTimestamp;
}

export interface MeetingAgencyRollupsTable {
  workspace_id: number;
  meeting_id: number;
  agency_id: number;
  board_id: number;
  held_on: IsoDate;
  invited: number;
  attended: number;
  apologies: number;
  absent: number;
  deputies: number;
  person_minutes: number;
  cost_pence: number;
}

// ── Minutes and decisions ──────────────────────────────────────────────────────────────

export interface MinutesTable {
  workspace_id: number;
  id: Id;
  meeting_id: number;
  status: Generated<MinutesStatus>;
  version: Generated<number>;
  circulated_at: NullableTimestamp;
  approved_at: NullableTimestamp;
  approved_at_meeting_id: number | null;
  approved_by: number | null;
  published_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: DefaultTimestamp;
  updated_by: number | null;
}

export interface MinuteItemsTable {
  workspace_id: number;
  minutes_id: number;
  agenda_item_id: number;
  discussion: Generated<string>;
}

export interface MinuteVersionsTable {
  workspace_id: number;
  id: Id;
  minutes_id: number;
  version: number;
  status: MinutesStatus;
  snapshot: Json<Record<string, unknown>>;
  created_by: number | null;
  created_at: CreatedAt;
  /** Why this version exists when not an ordinary save ("Autosaved", a re-opening's reason). */
  note: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MinuteCommentsTable {
  workspace_id: number;
  id: Id;
  minutes_id: number;
  agenda_item_id: number | null;
  author_id: number | null;
  body: string;
  resolved_at: NullableTimestamp;
  resolved_by: number | null;
  created_at: CreatedAt;
}

export interface DecisionsTable {
  workspace_id: number;
  id: Id;
  board_id: number;
  meeting_id: number;
  agenda_item_id: number | null;
  text: string;
  created_at: CreatedAt;
}

// ── Actions and plans ──────────────────────────────────────────────────────────────────

export interface ActionsTable {
  workspace_id: number;
  id: Id;
  board_id: number;
  meeting_id: number | null;
  agenda_item_id: number | null;
  title: string;
  description: Generated<string>;
  classification: Generated<Classification>;
  owner_agency_id: number;
  owner_person_id: number | null;
  due_date: IsoDate;
  status: Generated<ActionStatus>;
  outcome: string | null;
  completed_at: NullableTimestamp;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: DefaultTimestamp;
}

export interface ActionSupportingAgenciesTable {
  workspace_id: number;
  action_id: number;
  agency_id: number;
}

export interface ActionUpdatesTable {
  workspace_id: number;
  id: Id;
  action_id: number;
  author_id: number | null;
  author_name: string;
  body: string;
  status_to: ActionStatus | null;
  created_at: CreatedAt;
}

export interface ActionRemindersTable {
  workspace_id: number;
  action_id: number;
  kind: "due_soon" | "overdue";
  due_date: IsoDate;
  sent_at: DefaultTimestamp;
}

export interface PlansTable {
  workspace_id: number;
  id: Id;
  board_id: number;
  period: string;
  title: string;
  starts_on: IsoDate;
  ends_on: IsoDate;
  created_at: CreatedAt;
  updated_at: DefaultTimestamp;
}

export interface PlanPrioritiesTable {
  workspace_id: number;
  id: Id;
  plan_id: number;
  position: number;
  title: string;
}

export interface PlanObjectivesTable {
  workspace_id: number;
  id: Id;
  priority_id: number;
  position: number;
  title: string;
  measure: Generated<string>;
  target: Generated<string>;
  current_value: Generated<string>;
  rag: Rag | null;
  owner_agency_id: number | null;
  /** Moves on with every edit; an edit based on an older one is refused. */
  version: Generated<number>;
}

export interface ObjectiveActionsTable {
  workspace_id: number;
  objective_id: number;
  action_id: number;
}

// ── Audit, API, jobs ───────────────────────────────────────────────────────────────────

export interface AuditEventsTable {
  workspace_id: number;
  id: Id;
  occurred_at: DefaultTimestamp;
  actor_user_id: number | null;
  actor_label: string;
  event: string;
  entity_type: string;
  entity_id: string | null;
  changes: JsonDefault<Record<string, unknown>>;
  ip: string | null;
}

export interface ApiTokensTable {
  workspace_id: number;
  id: Id;
  user_id: number;
  name: string;
  token_hash: string;
  scope: "read" | "write";
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface JobsTable {
  id: Id;
  workspace_id: number | null;
  queue: string;
  payload: JsonDefault<Record<string, unknown>>;
  dedupe_key: string | null;
  status: Generated<JobStatus>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: DefaultTimestamp;
  locked_at: NullableTimestamp;
  locked_by: string | null;
  last_error: string | null;
  created_at: CreatedAt;
  finished_at: NullableTimestamp;
}

/** One message of a mail job to one recipient: "sending" before the transport has it, "sent" after. */
export interface MailDeliveriesTable {
  job_id: number;
  recipient: string;
  status: DeliveryStatus;
  attempt: number;
  transport: string;
  provider_ref: string | null;
  error: string | null;
  updated_at: DefaultTimestamp;
  sent_at: NullableTimestamp;
}

export interface Database {
  workspaces: WorkspacesTable;
  users: UsersTable;
  sessions: SessionsTable;
  recovery_codes: RecoveryCodesTable;
  passkeys: PasskeysTable;
  one_time_tokens: OneTimeTokensTable;
  sign_in_attempts: SignInAttemptsTable;
  rate_limit_buckets: RateLimitBucketsTable;
  workspace_users: WorkspaceUsersTable;
  role_grants: RoleGrantsTable;
  invitations: InvitationsTable;
  agencies: AgenciesTable;
  grades: GradesTable;
  grade_rates: GradeRatesTable;
  people: PeopleTable;
  interests: InterestsTable;
  boards: BoardsTable;
  memberships: MembershipsTable;
  meeting_series: MeetingSeriesTable;
  meetings: MeetingsTable;
  agenda_items: AgendaItemsTable;
  papers: PapersTable;
  attendance: AttendanceTable;
  declarations: DeclarationsTable;
  meeting_feedback: MeetingFeedbackTable;
  meeting_rollups: MeetingRollupsTable;
  meeting_agency_rollups: MeetingAgencyRollupsTable;
  minutes: MinutesTable;
  minute_items: MinuteItemsTable;
  minute_versions: MinuteVersionsTable;
  minute_comments: MinuteCommentsTable;
  decisions: DecisionsTable;
  actions: ActionsTable;
  action_supporting_agencies: ActionSupportingAgenciesTable;
  action_updates: ActionUpdatesTable;
  action_reminders: ActionRemindersTable;
  plans: PlansTable;
  plan_priorities: PlanPrioritiesTable;
  plan_objectives: PlanObjectivesTable;
  objective_actions: ObjectiveActionsTable;
  audit_events: AuditEventsTable;
  api_tokens: ApiTokensTable;
  jobs: JobsTable;
  mail_deliveries: MailDeliveriesTable;
}

export type Workspace = Selectable<WorkspacesTable>;
export type User = Selectable<UsersTable>;
export type Agency = Selectable<AgenciesTable>;
export type NewAgency = Insertable<AgenciesTable>;
export type Person = Selectable<PeopleTable>;
export type Board = Selectable<BoardsTable>;
export type NewBoard = Insertable<BoardsTable>;
export type BoardUpdate = Updateable<BoardsTable>;
export type Meeting = Selectable<MeetingsTable>;
export type AgendaItem = Selectable<AgendaItemsTable>;
export type Attendance = Selectable<AttendanceTable>;
export type Action = Selectable<ActionsTable>;

/** Tables whose rows belong to one workspace (the data layer scopes every query to it). */
export type WorkspaceTable = {
  [K in keyof Database]: Database[K] extends { workspace_id: number } ? K : never;
}[keyof Database];

/** Kysely table types for the store (see migrations/ for the DDL and its comments). */
import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';

/** A `date` column: read and written as `YYYY-MM-DD`. */
export type DateString = string;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp column with a database default. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;
export type CountMap = Record<string, number>;

export interface WorkspaceTable {
  id: number;
  account_id: string | null;
  usage_source: 'exports' | 'events' | null;
  demo_only: Generated<boolean>;
  created_at: DefaultTimestamp;
}

export interface SettingsTable {
  id: number;
  seats_purchased: number | null;
  benchmark_industry: string | null;
  eu_data_residency: Generated<boolean>;
  task_insights: boolean | null;
  min_group_size: Generated<number>;
  updated_at: DefaultTimestamp;
}

export type ImportKind =
  | 'users'
  | 'gpts'
  | 'projects'
  | 'impact'
  | 'catalog'
  | 'directory'
  | 'events'
  | 'reset';

export interface ImportLogTable {
  id: Generated<number>;
  kind: ImportKind;
  source: string;
  sha256: string | null;
  rows: Generated<number>;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
  imported_at: Timestamp;
}

export type ReportKind = 'users' | 'gpts' | 'projects' | 'impact';
export type ReportGrain = 'week' | 'month' | 'range';
export type FactGrain = 'day' | ReportGrain;

export interface ReportsTable {
  id: Generated<number>;
  kind: ReportKind;
  grain: ReportGrain;
  cadence: string;
  period_start: DateString;
  period_end: DateString;
  import_id: number;
}

export interface DirectorySnapshotsTable {
  id: Generated<number>;
  report_id: number | null;
  source: 'users_report' | 'directory';
  period_start: DateString;
  as_of: DateString;
  import_id: number;
}

export interface DirectoryAccountsTable {
  snapshot_id: number;
  account_key: string;
  public_id: string | null;
  name: string | null;
  email: string | null;
  email_key: string | null;
  role: string | null;
  user_role: string | null;
  department: Json<string[]> | null;
  group_ids: ColumnType<string[], string[] | string, string[] | string>;
  user_status: string;
  created_or_invited_date: DateString | null;
  last_day_active: DateString | null;
  position: Generated<number>;
}

export interface ScimGroupsTable {
  group_id: string;
  name: string;
  name_key: string;
  named_as_of: DateString;
}

/** The SCIM group names a directory snapshot carried (migration 0010). */
export interface SnapshotGroupsTable {
  snapshot_id: number;
  group_id: string;
  name: string;
}

export interface UserFactsTable {
  report_id: number | null;
  /** The Users report's `is_active` as written (migration 0010); null for facts from events. */
  is_active: boolean | null;
  grain: FactGrain;
  period_start: DateString;
  period_end: DateString;
  public_id: string;
  first_day_active_in_period: DateString | null;
  last_day_active_in_period: DateString | null;
  messages: number;
  messages_rank: number | null;
  gpt_messages: number;
  gpts_messaged: number;
  tool_messages: number;
  tools_messaged: number;
  project_messages: number;
  projects_messaged: number;
  projects_created: number;
  skill_messages: number | null;
  app_messages: number | null;
  credits_used: number | null;
  last_day_active: DateString | null;
  model_to_messages: Json<CountMap> | null;
  gpt_to_messages: Json<CountMap> | null;
  tool_to_messages: Json<CountMap> | null;
  project_to_messages: Json<CountMap> | null;
  skill_to_messages: Json<CountMap> | null;
  app_to_messages: Json<CountMap> | null;
}

interface CatalogRowColumns {
  report_id: number;
  config_type: string | null;
  is_active: boolean;
  first_day_active_in_period: DateString | null;
  last_day_active_in_period: DateString | null;
  messages_workspace: number;
  unique_messagers_workspace: number;
  position: Generated<number>;
}

export interface GptReportRowsTable extends CatalogRowColumns {
  gpt_id: string;
  gpt_name: string | null;
  gpt_description: string | null;
  gpt_url: string | null;
  gpt_creator_public_id: string | null;
  gpt_creator_email: string | null;
}

export interface ProjectReportRowsTable extends CatalogRowColumns {
  project_id: string;
  project_name: string | null;
  project_description: string | null;
  project_url: string | null;
  project_creator_public_id: string | null;
  project_creator_email: string | null;
}

export interface ImpactResponsesTable {
  report_id: number;
  position: number;
  date_partition: DateString;
  workspace_id: string;
  name: string | null;
  email: string;
  email_key: string;
  survey_id: string;
  survey_name: string | null;
  question_id: string;
  answer_id: string;
}

export interface ImpactAnswer {
  answer_id: string;
  label: string;
  positive: boolean;
}

export interface ImpactQuestionsTable {
  question_id: string;
  position: number;
  dimension: string;
  text: string;
  answers: Json<ImpactAnswer[]>;
}

export interface EventsTable {
  id: string;
  ts: Timestamp;
  day: DateString;
  public_id: string;
  conversation_id: string;
  gpt_id: string | null;
  project_id: string | null;
  tool: string | null;
  skill: string | null;
  app: string | null;
  model: string | null;
  task_type: string | null;
  topic: string | null;
  import_id: number;
}

/** Inbound chat deliveries already taken on (migration 0006): each is answered once. */
export interface InboundDeliveriesTable {
  platform: string;
  kind: string;
  delivery_id: string;
  received_at: Timestamp;
}

/** Analytics-viewer grants (migration 0008); `group_id` null = the whole workspace. */
export interface AccessGrantsTable {
  id: Generated<number>;
  email_key: string;
  email: string;
  role: 'analytics-viewer';
  group_id: string | null;
  source: 'manual' | 'role-map';
  granted_by: string;
  granted_at: Timestamp;
}

/** The append-only audit log (migration 0009). */
export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor: string;
  platform: string;
  platform_user_id: string | null;
  command: string;
  keys: ColumnType<string[], string[] | undefined, never>;
  where_kind: 'cli' | 'direct' | 'channel';
  channel_id: string | null;
  decision: 'allowed' | 'denied';
  reason: string | null;
  grantee: string | null;
  role: string | null;
  groups: ColumnType<string[] | null, string[] | null | undefined, never>;
  /** For an export (migration 0010): the report type, its range and how many rows it gave out. */
  export_type: ColumnType<string | null, string | null | undefined, never>;
  export_start: ColumnType<DateString | null, DateString | null | undefined, never>;
  export_end: ColumnType<DateString | null, DateString | null | undefined, never>;
  export_rows: ColumnType<number | null, number | null | undefined, never>;
}

/** Digest subscriptions (migration 0011); unsubscribing sets `disabled_at`. */
export interface DigestSubscriptionsTable {
  id: string;
  kind: string;
  platform: 'slack' | 'teams';
  target: string;
  day: number;
  minute: number;
  time_zone: string;
  every: 'week' | 'month';
  group_id: string | null;
  created_by: string;
  /** The platform user id of whoever subscribed in chat (told when the target is gone). */
  owner_user_id: string | null;
  created_at: Timestamp;
  disabled_at: Timestamp | null;
  disabled_reason: string | null;
}

/** The outbound delivery ledger of digests (migration 0011): a scheduled (subscription, period) once. */
export interface DigestDeliveriesTable {
  id: Generated<string>;
  subscription_id: string;
  scheduled: boolean;
  period_start: DateString;
  period_end: DateString;
  slot_at: Timestamp | null;
  state: 'claimed' | 'posted' | 'failed' | 'missed' | 'gone';
  claimed_by: string | null;
  claim_expires_at: Timestamp | null;
  attempts: Generated<number>;
  late: Generated<boolean>;
  posted_at: Timestamp | null;
  platform_ref: string | null;
  error: string | null;
  updated_at: Timestamp;
}

/** Whether a person may be named in power-user shout-outs (migration 0011), by email key. */
export interface DigestOptInsTable {
  email_key: string;
  choice: 'asked' | 'in' | 'out';
  platform: string | null;
  user_id: string | null;
  asked_at: Timestamp | null;
  answered_at: Timestamp | null;
}

export interface Database {
  workspace: WorkspaceTable;
  settings: SettingsTable;
  import_log: ImportLogTable;
  reports: ReportsTable;
  directory_snapshots: DirectorySnapshotsTable;
  directory_accounts: DirectoryAccountsTable;
  scim_groups: ScimGroupsTable;
  snapshot_groups: SnapshotGroupsTable;
  user_facts: UserFactsTable;
  gpt_report_rows: GptReportRowsTable;
  project_report_rows: ProjectReportRowsTable;
  impact_responses: ImpactResponsesTable;
  impact_questions: ImpactQuestionsTable;
  events: EventsTable;
  inbound_deliveries: InboundDeliveriesTable;
  access_grants: AccessGrantsTable;
  audit_log: AuditLogTable;
  digest_subscriptions: DigestSubscriptionsTable;
  digest_deliveries: DigestDeliveriesTable;
  digest_opt_ins: DigestOptInsTable;
}

export type Db = Kysely<Database>;
/** A database handle or an open transaction: store functions take either. */
export type DbOrTx = Kysely<Database> | Transaction<Database>;


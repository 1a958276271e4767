/**
 * The store's tables by what they hold, named once: what emptying a workspace deletes, and what a
 * test clears or compares. A migration that adds a table adds it here (a test checks every table
 * of the migrated store is listed).
 */

/** A workspace's data, in an order that deletes children before their parents. */
export const DATA_TABLES = [
  'events',
  'impact_questions',
  'impact_responses',
  'project_report_rows',
  'gpt_report_rows',
  'user_facts',
  'scim_groups',
  'snapshot_groups',
  'directory_accounts',
  'directory_snapshots',
  'reports',
  'import_log',
  'workspace',
] as const;

/** Summaries the store keeps from the data by triggers (never written directly). */
export const SUMMARY_TABLES = ['period_totals', 'activity_bits', 'user_summaries', 'item_usage', 'group_members'] as const;

/**
 * Settings, access grants, the audit log (append-only: it cannot be deleted from) and the
 * bookkeeping of chat platforms: kept when the demo workspace is emptied.
 */
export const KEPT_TABLES = [
  'settings',
  'access_grants',
  'audit_log',
  'inbound_deliveries',
  'teams_conversations',
  'digest_deliveries',
  'digest_subscriptions',
  'digest_opt_ins',
] as const;

/**
 * The directory: accounts, their snapshots and the groups' names (what access checks read);
 * `group_members` (a summary of the accounts' groups) belongs to it too.
 */
export const DIRECTORY_TABLES = ['scim_groups', 'directory_accounts', 'directory_snapshots'] as const;
/**
 * The analytics: a workspace's data but the directory — usage, the catalogs, the survey, the
 * reports and their log — and what the store derives from them. The access check runs before any
 * of these is read (a refusal reads none, docs/design.md §7).
 */
export const ANALYTICS_TABLES: readonly string[] = [
  ...DATA_TABLES.filter((t) => !(DIRECTORY_TABLES as readonly string[]).includes(t)),
  ...SUMMARY_TABLES.filter((t) => t !== 'group_members'),
];

/** Every application table (not Kysely's migration bookkeeping). */
export const APPLICATION_TABLES = [...DATA_TABLES, ...SUMMARY_TABLES, ...KEPT_TABLES] as const;

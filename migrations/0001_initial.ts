/**
 * The aggregate store (docs/design.md §4). Frozen in time: this file never imports application code.
 *
 * Grain of usage facts: one row per (grain, period_start, public_id) with any activity. Export-fed
 * stores hold `week`, `month` and `range` rows from Users reports; event-fed stores hold `day`
 * rows rolled up from `events`. Inactive accounts have no fact row: the directory snapshot of
 * the same report carries their identity, status and `last_day_active`.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workspace')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('account_id', 'text')
    .addColumn('usage_source', 'text', (c) => c.check(sql`usage_source in ('exports', 'events')`))
    .addColumn('demo_only', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('seats_purchased', 'integer', (c) => c.check(sql`seats_purchased >= 0`))
    .addColumn('benchmark_industry', 'text')
    .addColumn('eu_data_residency', 'boolean', (c) => c.notNull().defaultTo(false))
    // null = the default (on, or off with EU data residency)
    .addColumn('task_insights', 'boolean')
    .addColumn('min_group_size', 'integer', (c) =>
      c.notNull().defaultTo(10).check(sql`min_group_size >= 10`),
    )
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Every successful import or ingest; the newest `imported_at` is "last updated".
  await db.schema
    .createTable('import_log')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`kind in ('users', 'gpts', 'projects', 'impact', 'catalog', 'directory', 'events', 'reset')`,
        ),
    )
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text')
    .addColumn('rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // One row per imported export report; its identity is (kind, grain, period_start) (§4.1).
  await db.schema
    .createTable('reports')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('users', 'gpts', 'projects', 'impact')`),
    )
    .addColumn('grain', 'text', (c) => c.notNull().check(sql`grain in ('week', 'month', 'range')`))
    .addColumn('cadence', 'text', (c) => c.notNull())
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('period_end', 'date', (c) => c.notNull())
    .addColumn('import_id', 'integer', (c) => c.notNull().references('import_log.id'))
    .addUniqueConstraint('reports_identity', ['kind', 'grain', 'period_start'])
    .execute();

  // A directory snapshot: from a Users report (as of its period_end) or a directory CSV import
  // (as of its import day).
  await db.schema
    .createTable('directory_snapshots')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('report_id', 'integer', (c) => c.references('reports.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) =>
      c.notNull().check(sql`source in ('users_report', 'directory')`),
    )
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('as_of', 'date', (c) => c.notNull())
    .addColumn('import_id', 'integer', (c) => c.notNull().references('import_log.id'))
    .execute();
  await db.schema
    .createIndex('directory_snapshots_as_of')
    .on('directory_snapshots')
    .columns(['as_of', 'period_start'])
    .execute();

  await db.schema
    .createTable('directory_accounts')
    .addColumn('snapshot_id', 'integer', (c) =>
      c.notNull().references('directory_snapshots.id').onDelete('cascade'),
    )
    // public_id, or 'email:' + lower-cased email for a pending invite without public_id
    .addColumn('account_key', 'text', (c) => c.notNull())
    .addColumn('public_id', 'text')
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    // email lower-cased in code (never with the database's locale-dependent lower())
    .addColumn('email_key', 'text')
    .addColumn('role', 'text')
    .addColumn('user_role', 'text')
    .addColumn('department', 'jsonb')
    .addColumn('group_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('user_status', 'text', (c) => c.notNull())
    .addColumn('created_or_invited_date', 'date')
    .addColumn('last_day_active', 'date')
    // position of the row in its source file, so an export can reproduce the order
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('directory_accounts_pk', ['snapshot_id', 'account_key'])
    .execute();
  await db.schema
    .createIndex('directory_accounts_email')
    .on('directory_accounts')
    .columns(['email_key', 'snapshot_id'])
    .execute();

  // SCIM groups by id, with the name of the newest snapshot that named them.
  await db.schema
    .createTable('scim_groups')
    .addColumn('group_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('named_as_of', 'date', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('user_facts')
    .addColumn('report_id', 'integer', (c) => c.references('reports.id').onDelete('cascade'))
    .addColumn('grain', 'text', (c) =>
      c.notNull().check(sql`grain in ('day', 'week', 'month', 'range')`),
    )
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('period_end', 'date', (c) => c.notNull())
    .addColumn('public_id', 'text', (c) => c.notNull())
    .addColumn('first_day_active_in_period', 'date')
    .addColumn('last_day_active_in_period', 'date')
    .addColumn('messages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('messages_rank', 'integer')
    .addColumn('gpt_messages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('gpts_messaged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tool_messages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tools_messaged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('project_messages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('projects_messaged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('projects_created', 'integer', (c) => c.notNull().defaultTo(0))
    // null where the source does not report them (Users reports carry no skills or apps)
    .addColumn('skill_messages', 'integer')
    .addColumn('app_messages', 'integer')
    .addColumn('credits_used', 'numeric')
    .addColumn('last_day_active', 'date')
    .addColumn('model_to_messages', 'jsonb')
    .addColumn('gpt_to_messages', 'jsonb')
    .addColumn('tool_to_messages', 'jsonb')
    .addColumn('project_to_messages', 'jsonb')
    .addColumn('skill_to_messages', 'jsonb')
    .addColumn('app_to_messages', 'jsonb')
    .addPrimaryKeyConstraint('user_facts_pk', ['grain', 'period_start', 'public_id'])
    .execute();
  await db.schema.createIndex('user_facts_report').on('user_facts').column('report_id').execute();

  // GPT and Project report rows: the catalog (newest row per id) and the report's own usage
  // columns (kept to reproduce the report; metrics read usage from user_facts, docs/design.md §5).
  for (const item of ['gpt', 'project'] as const) {
    await db.schema
      .createTable(`${item}_report_rows`)
      .addColumn('report_id', 'integer', (c) =>
        c.notNull().references('reports.id').onDelete('cascade'),
      )
      .addColumn(`${item}_id`, 'text', (c) => c.notNull())
      .addColumn(`${item}_name`, 'text')
      .addColumn('config_type', 'text')
      .addColumn(`${item}_description`, 'text')
      .addColumn(`${item}_url`, 'text')
      .addColumn(`${item}_creator_public_id`, 'text')
      .addColumn('is_active', 'boolean', (c) => c.notNull())
      .addColumn('first_day_active_in_period', 'date')
      .addColumn('last_day_active_in_period', 'date')
      .addColumn('messages_workspace', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('unique_messagers_workspace', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn(`${item}_creator_email`, 'text')
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint(`${item}_report_rows_pk`, ['report_id', `${item}_id`])
      .execute();
  }

  await db.schema
    .createTable('impact_responses')
    .addColumn('report_id', 'integer', (c) =>
      c.notNull().references('reports.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('date_partition', 'date', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull())
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('survey_name', 'text')
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('answer_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('impact_responses_pk', ['report_id', 'position'])
    .execute();
  await db.schema
    .createIndex('impact_responses_date')
    .on('impact_responses')
    .column('date_partition')
    .execute();

  // An admin-supplied impact question catalog; empty = the built-in catalog.
  await db.schema
    .createTable('impact_questions')
    .addColumn('question_id', 'text', (c) => c.primaryKey())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .execute();

  // Usage events (§4.2): one message each; never any message text.
  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ts', 'timestamptz', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('public_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('gpt_id', 'text')
    .addColumn('project_id', 'text')
    .addColumn('tool', 'text')
    .addColumn('skill', 'text')
    .addColumn('app', 'text')
    .addColumn('model', 'text')
    .addColumn('task_type', 'text')
    .addColumn('topic', 'text')
    .addColumn('import_id', 'integer', (c) => c.notNull().references('import_log.id'))
    .execute();
  await db.schema.createIndex('events_day').on('events').columns(['day', 'public_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'events',
    'impact_questions',
    'impact_responses',
    'project_report_rows',
    'gpt_report_rows',
    'user_facts',
    'scim_groups',
    'directory_accounts',
    'directory_snapshots',
    'reports',
    'import_log',
    'settings',
    'workspace',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

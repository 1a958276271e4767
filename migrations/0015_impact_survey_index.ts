/**
 * The newest impact survey's window (the hint `impact` gives when too few people answered in the
 * period asked) is the first and last day of one survey's responses: an index on (survey_id,
 * date_partition) reads those two ends instead of every response up to today (383 of the 490 ms
 * of `impact` on the 100k-user benchmark store). Frozen in time: never imports application code.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('impact_responses_survey').on('impact_responses').columns(['survey_id', 'date_partition']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('impact_responses_survey').ifExists().execute();
}

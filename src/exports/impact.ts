/**
 * Impact survey report rows for an export (docs/design.md §4.1, §7 "Exports"): one row per answered
 * question per respondent. An imported report of exactly the range is given back row for row;
 * any other range takes the responses whose `date_partition` falls in it from every imported
 * report, a response found in two reports (overlapping ranges) once, from the later import, in
 * day order and then in file order.
 */
import { sql, type RawBuilder } from 'kysely';

export interface ImpactRow {
  date_partition: string;
  workspace_id: string;
  name: string | null;
  email: string;
  survey_id: string;
  survey_name: string | null;
  question_id: string;
  answer_id: string;
}

const COLUMNS = sql`date_partition, workspace_id, name, email, survey_id, survey_name, question_id, answer_id`;

export function importedImpactQuery(reportId: number): RawBuilder<ImpactRow> {
  return sql<ImpactRow>`select ${COLUMNS} from impact_responses where report_id = ${reportId} order by position`;
}

export function computedImpactQuery(start: string, end: string): RawBuilder<ImpactRow> {
  return sql<ImpactRow>`
    select ${COLUMNS} from (
      select distinct on (r.email_key, r.survey_id, r.question_id, r.date_partition) r.*, r.report_id as rid
      from impact_responses r
      where r.date_partition between ${start} and ${end}
      order by r.email_key, r.survey_id, r.question_id, r.date_partition, r.report_id desc
    ) x
    order by date_partition, rid, position`;
}

export function impactCells(row: ImpactRow): string[] {
  return [
    row.date_partition,
    row.workspace_id,
    row.name ?? '',
    row.email,
    row.survey_id,
    row.survey_name ?? '',
    row.question_id,
    row.answer_id,
  ];
}

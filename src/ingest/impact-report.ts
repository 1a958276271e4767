/**
 * The Impact survey report (docs/design.md §4.1, §5): one row per answered question per respondent.
 * Respondents are identified by email, compared lower-cased (in code). A response belongs to the
 * report's workspace and falls inside its period.
 */
import type { RowReader } from './cells.ts';
import { BatchPipeline } from './batches.ts';
import { insertJsonRows, type BulkColumn } from './bulk-insert.ts';
import type { CsvImportContext, RowWriter } from './csv-import-context.ts';
import { emailKey } from './account-columns.ts';
import { checkInPeriod, checkSamePeriod } from './report-period.ts';

interface ResponseRow {
  position: number;
  date_partition: string;
  workspace_id: string;
  name: string | null;
  email: string;
  email_key: string;
  survey_id: string;
  survey_name: string | null;
  question_id: string;
  answer_id: string;
}

const RESPONSE_COLUMNS: BulkColumn[] = [
  { name: 'position', type: 'integer' },
  { name: 'date_partition', type: 'date' },
  { name: 'workspace_id', type: 'text' },
  { name: 'name', type: 'text' },
  { name: 'email', type: 'text' },
  { name: 'email_key', type: 'text' },
  { name: 'survey_id', type: 'text' },
  { name: 'survey_name', type: 'text' },
  { name: 'question_id', type: 'text' },
  { name: 'answer_id', type: 'text' },
];

export class ImpactReportWriter implements RowWriter {
  readonly #ctx: CsvImportContext;
  readonly #reportId: number;
  readonly #pipeline: BatchPipeline<ResponseRow>;

  constructor(ctx: CsvImportContext, reportId: number) {
    this.#ctx = ctx;
    this.#reportId = reportId;
    this.#pipeline = new BatchPipeline(ctx.batchRows, (rows) => this.#flush(rows));
  }

  async add(row: RowReader): Promise<void> {
    const period = this.#ctx.period!;
    if (row.line !== this.#ctx.firstLine) checkSamePeriod(row, period, this.#ctx.firstLine);
    const date = row.date('date_partition', true);
    checkInPeriod(row, 'date_partition', date, period);
    const workspace = row.required('workspace_id', 'the workspace account id');
    if (workspace !== null && workspace !== period.accountId) {
      row.problem('workspace_id', `${JSON.stringify(workspace)} differs from the report's account_id ${period.accountId}`);
    }
    const email = row.required('email', "the respondent's email");
    const survey = row.required('survey_id', 'the survey id');
    const question = row.required('question_id', 'the question id');
    const answer = row.required('answer_id', 'the answer id');
    if (row.rowFailed || this.#ctx.problems.any) return;
    await this.#pipeline.add({
      position: row.line,
      date_partition: date!,
      workspace_id: workspace!,
      name: row.text('name'),
      email: email!,
      email_key: emailKey(email!),
      survey_id: survey!,
      survey_name: row.text('survey_name'),
      question_id: question!,
      answer_id: answer!,
    });
  }

  async #flush(rows: ResponseRow[]): Promise<void> {
    if (this.#ctx.problems.any) return;
    await insertJsonRows(
      this.#ctx.db,
      { table: 'impact_responses', columns: RESPONSE_COLUMNS },
      [{ name: 'report_id', type: 'integer', value: this.#reportId }],
      rows,
    );
  }

  async finish(_warnings: string[]): Promise<void> {
    await this.#pipeline.finish();
  }
}

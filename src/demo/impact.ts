/**
 * Impact surveys: a built-in survey every eight weeks from the first complete month of the
 * window (open two weeks) and one admin-created pulse survey that adds a question the catalog
 * does not know. Activated, enabled people respond — the engaged more often — mostly in the first
 * days; each answered question is one row of the Impact survey report of the response's month.
 * Answers lean positive with engagement and a little more as the window goes on.
 */
import { csvCell } from '../core/csv.ts';
import { formatIsoDay, monthEnd, monthStart, yearMonthOf } from './dates.ts';
import { DIMENSION_LEAN, EXTRA_QUESTION, IMPACT_CATALOG } from './impact-catalog.ts';
import { NEVER, type People } from './people.ts';
import { commonCells, type Period } from './periods.ts';
import { NO_DAY, type Profiles } from './profiles.ts';
import { Prng, stream } from './prng.ts';
import type { FileSink } from './sink.ts';

export const IMPACT_COLUMNS = [
  'cadence',
  'period_start',
  'period_end',
  'account_id',
  'date_partition',
  'workspace_id',
  'name',
  'email',
  'survey_id',
  'survey_name',
  'question_id',
  'answer_id',
] as const;

const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;
const SURVEY_EVERY = 56;
const SURVEY_OPEN_DAYS = 14;

interface Survey {
  id: string;
  /** CSV-encoded name. */
  nameCell: string;
  open: number;
  close: number;
  extraQuestion: boolean;
  /** Response day of each account, or NO_DAY. */
  responseDay: Int32Array;
}

export class ImpactSurveys {
  readonly surveys: Survey[] = [];
  responses = 0;
  private readonly answers: Prng;

  constructor(
    seed: string | number,
    private readonly people: People,
    private readonly profiles: Profiles,
    private readonly accountId: string,
    private readonly start: number,
    private readonly end: number,
  ) {
    const rng = stream(seed, 'impact');
    this.answers = stream(seed, 'impact-answers');
    const firstMonth = monthStart(start) === start ? start : monthEnd(start) + 1;
    const launches: { open: number; admin: boolean }[] = [];
    for (let open = firstMonth + 9; open + SURVEY_OPEN_DAYS - 1 <= end; open += SURVEY_EVERY) launches.push({ open, admin: false });
    const adminOpen = firstMonth + 9 + 30;
    if (adminOpen + SURVEY_OPEN_DAYS - 1 <= end) launches.push({ open: adminOpen, admin: true });
    launches.sort((a, b) => a.open - b.open);

    for (const { open, admin } of launches) {
      const close = open + SURVEY_OPEN_DAYS - 1;
      const { year, month: m } = yearMonthOf(open);
      const month = `${MONTH_NAMES[m - 1]} ${year}`;
      const name = admin ? `Pulse check: how is ChatGPT working for you? (${formatIsoDay(open)})` : `Workspace impact survey, ${month}`;
      const survey: Survey = {
        id: rng.uuid(),
        nameCell: csvCell(name),
        open,
        close,
        extraQuestion: admin,
        responseDay: new Int32Array(people.count).fill(NO_DAY),
      };
      for (let i = 0; i < people.count; i++) {
        if (people.accepted[i]! > open || people.deleted[i]! <= open || profiles.adopt[i] === NEVER || profiles.adopt[i]! > open) continue;
        const z = profiles.z[i]!;
        const p = (admin ? 0.05 : 0.08) + (admin ? 0.15 : 0.28) / (1 + Math.exp(-z));
        if (!rng.chance(p)) continue;
        const day = open + Math.min(SURVEY_OPEN_DAYS - 1, Math.floor(rng.exponential(2.5)));
        if (people.deleted[i]! <= day) continue;
        survey.responseDay[i] = day;
      }
      this.surveys.push(survey);
    }
  }

  /**
   * Writes the responses given on `day` as rows of `period`'s report; `sink()` opens that
   * report at its first row, so a month without responses has no file.
   */
  async writeDay(day: number, period: Period, sink: () => FileSink): Promise<void> {
    const rng = this.answers;
    const { people, profiles } = this;
    const common = commonCells(period, this.accountId);
    const date = formatIsoDay(day);
    const progress = (day - this.start) / (this.end - this.start + 1);
    for (const survey of this.surveys) {
      if (day < survey.open || day > survey.close) continue;
      for (let i = 0; i < people.count; i++) {
        if (survey.responseDay[i] !== day) continue;
        const out = sink();
        const who = `${common}${date},${this.accountId},${csvCell(people.name[i]!)},${people.emailCell[i]},${survey.id},${survey.nameCell},`;
        this.responses++;
        for (let k = 0; k < IMPACT_CATALOG.questions.length; k++) {
          const q = IMPACT_CATALOG.questions[k]!;
          if (rng.chance(0.04)) continue; // skipped question
          const lean = DIMENSION_LEAN[q.dimension] ?? 0;
          const positive = rng.float() < 1 / (1 + Math.exp(-(lean - 0.2 + 0.8 * profiles.z[i]! + 0.9 * progress)));
          const answer = pickAnswer(rng, k, positive);
          out.row(`${who}${q.question_id},${answer}\n`);
        }
        if (survey.extraQuestion && !rng.chance(0.1)) {
          out.row(`${who}${EXTRA_QUESTION.question_id},${EXTRA_QUESTION.answers[rng.int(EXTRA_QUESTION.answers.length)]}\n`);
        }
        if (out.full) await out.flush();
      }
    }
  }
}

/** Answer ids of each catalog question, split into positive and non-positive ones. */
const POOLS = IMPACT_CATALOG.questions.map((q) => ({
  positive: q.answers.filter((a) => a.positive).map((a) => a.answer_id),
  other: q.answers.filter((a) => !a.positive).map((a) => a.answer_id),
}));

/** A positive answer (the milder more often) or a non-positive one (mostly the neutral). */
function pickAnswer(rng: Prng, question: number, positive: boolean): string {
  const pools = POOLS[question]!;
  if (positive) return pools.positive[rng.chance(0.62) ? 0 : rng.int(pools.positive.length)]!;
  return pools.other[rng.chance(0.6) ? pools.other.length - 1 : rng.int(pools.other.length)]!;
}

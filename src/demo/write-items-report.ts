/**
 * GPT and Project reports (appendix columns, common columns first): one row per GPT or project
 * that exists at the period's end, active or not. Unique messagers are counted from the people's
 * slot counts of the same period, so these reports agree with the Users reports and the events.
 * The creator's email is blank once the creator's account is deleted ("when available").
 */
import type { DayFormatter } from './dates.ts';
import { GPT_SLOTS, PROJECT_SLOTS, type Items, type Slots } from './items.ts';
import { NEVER, type People } from './people.ts';
import { commonCells, type Period } from './periods.ts';
import { F_GPT, F_PROJECT, STRIDE, type PeriodCounts } from './simulate.ts';
import type { FileSink } from './sink.ts';

export type ItemKind = 'gpt' | 'project';

export function itemColumns(kind: ItemKind): string[] {
  return [
    'cadence',
    'period_start',
    'period_end',
    'account_id',
    `${kind}_id`,
    `${kind}_name`,
    'config_type',
    `${kind}_description`,
    `${kind}_url`,
    `${kind}_creator_public_id`,
    'is_active',
    'first_day_active_in_period',
    'last_day_active_in_period',
    'messages_workspace',
    'unique_messagers_workspace',
    `${kind}_creator_email`,
  ];
}

export interface ItemsReportContext {
  people: People;
  slots: Slots;
  accountId: string;
  windowStart: number;
  days: DayFormatter;
}

export async function writeItemsReport(
  out: FileSink,
  ctx: ItemsReportContext,
  kind: ItemKind,
  items: Items,
  period: Period,
  counts: PeriodCounts,
  unique: Int32Array,
): Promise<void> {
  const { people, slots, days, windowStart } = ctx;
  const E = period.end;
  const common = commonCells(period, ctx.accountId);
  const messages = kind === 'gpt' ? counts.gptMessages : counts.projectMessages;
  const first = kind === 'gpt' ? counts.gptFirst : counts.projectFirst;
  const last = kind === 'gpt' ? counts.gptLast : counts.projectLast;
  const slotOf = kind === 'gpt' ? slots.gpt : slots.project;
  const width = kind === 'gpt' ? GPT_SLOTS : PROJECT_SLOTS;
  const field = kind === 'gpt' ? F_GPT : F_PROJECT;

  unique.fill(0);
  const u = counts.users;
  for (let i = 0; i < people.count; i++) {
    for (let s = 0; s < width; s++) {
      if (u[i * STRIDE + field + s]! > 0) unique[slotOf[i * width + s]!]!++;
    }
  }

  out.push(itemColumns(kind).join(',') + '\n');
  for (let k = 0; k < items.count; k++) {
    const created = items.created[k]!;
    if (created === NEVER || created > E) continue;
    const creator = items.creator[k]!;
    const email = people.deleted[creator]! <= E ? '' : people.emailCell[creator]!;
    const m = messages[k]!;
    const activity =
      m > 0
        ? `1,${days.format(windowStart + first[k]! - 1)},${days.format(windowStart + last[k]! - 1)},${m},${unique[k]}`
        : '0,,,0,0';
    out.row(`${common}${items.cells[k]},${activity},${email}\n`);
    if (out.full) await out.flush();
  }
}

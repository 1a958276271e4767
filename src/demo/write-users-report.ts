/**
 * A Users report (docs/design.md §4.1) built from one period's counts: every account that exists at
 * the period's end, in directory order; Python dict literals for the maps; `is_active` 1/0;
 * blank rank, first/last day and maps for inactive accounts; pending invites with only the
 * common columns, email, status and invite date; `messages_rank` by messages within the report
 * (ties share a rank); `last_day_active` carried from earlier periods.
 */
import { csvCell, pyRepr } from '../core/csv.ts';
import type { DayFormatter } from './dates.ts';
import { GPT_SLOTS, PROJECT_SLOTS, type Items, type Slots } from './items.ts';
import type { People } from './people.ts';
import { commonCells, type Period } from './periods.ts';
import { NO_DAY } from './profiles.ts';
import {
  F_FIRST,
  F_GPT,
  F_LAST,
  F_MESSAGES,
  F_MODEL,
  F_PROJECT,
  F_PROJECTS_CREATED,
  F_TOOL,
  N_MODELS,
  N_TOOLS,
  STRIDE,
  type PeriodCounts,
} from './simulate.ts';
import type { FileSink } from './sink.ts';
import { MODELS, TOOLS } from './vocabulary.ts';

export const USERS_COLUMNS = [
  'cadence',
  'period_start',
  'period_end',
  'account_id',
  'public_id',
  'name',
  'email',
  'role',
  'user_role',
  'department',
  'groups',
  'user_status',
  'created_or_invited_date',
  'is_active',
  'first_day_active_in_period',
  'last_day_active_in_period',
  'messages',
  'messages_rank',
  'model_to_messages',
  'gpt_messages',
  'gpts_messaged',
  'gpt_to_messages',
  'tool_messages',
  'tools_messaged',
  'tool_to_messages',
  'project_messages',
  'projects_messaged',
  'project_to_messages',
  'projects_created',
  'last_day_active',
] as const;

const MODEL_KEYS = MODELS.map(pyRepr);
const TOOL_KEYS = TOOLS.map(pyRepr);
/** Cells after `created_or_invited_date` of a pending invite: all 17 blank. */
const PENDING_TAIL = ','.repeat(17) + '\n';

export interface UsersReportContext {
  people: People;
  gpts: Items;
  projects: Items;
  slots: Slots;
  accountId: string;
  windowStart: number;
  days: DayFormatter;
}

/** Competition ranks by messages (1 for the most; ties share a rank), 0 for inactive accounts. */
export function rankByMessages(users: Int32Array, count: number, ranks: Int32Array): void {
  ranks.fill(0);
  const active: number[] = [];
  for (let i = 0; i < count; i++) if (users[i * STRIDE + F_MESSAGES]! > 0) active.push(i);
  active.sort((a, b) => users[b * STRIDE + F_MESSAGES]! - users[a * STRIDE + F_MESSAGES]! || a - b);
  let previous = -1;
  let rank = 0;
  for (let k = 0; k < active.length; k++) {
    const m = users[active[k]! * STRIDE + F_MESSAGES]!;
    if (m !== previous) rank = k + 1;
    previous = m;
    ranks[active[k]!] = rank;
  }
}

function mapCell(keys: readonly string[], u: Int32Array, offset: number, n: number): string {
  let out = '';
  let entries = 0;
  for (let k = 0; k < n; k++) {
    const c = u[offset + k]!;
    if (c === 0) continue;
    out += (entries++ === 0 ? '{' : ', ') + keys[k]! + ': ' + c;
  }
  if (entries === 0) return '';
  return entries > 1 ? `"${out}}"` : out + '}';
}

export async function writeUsersReport(
  out: FileSink,
  ctx: UsersReportContext,
  period: Period,
  counts: PeriodCounts,
  lastActive: Int32Array,
  ranks: Int32Array,
): Promise<void> {
  const { people, gpts, projects, slots, days, windowStart } = ctx;
  const u = counts.users;
  const common = commonCells(period, ctx.accountId);
  const E = period.end;
  rankByMessages(u, people.count, ranks);
  out.push(USERS_COLUMNS.join(',') + '\n');

  for (let i = 0; i < people.count; i++) {
    if (people.created[i]! > E) continue;
    const created = days.format(people.created[i]!);
    const deleted = people.deleted[i]! <= E;
    if (!deleted && people.accepted[i]! > E) {
      out.row(`${common},,${people.emailCell[i]},,,,,pending,${created}${PENDING_TAIL}`);
    } else {
      const b = i * STRIDE;
      const last = lastActive[i]!;
      const lastCell = last === NO_DAY || last > E ? '' : days.format(last);
      let row = `${common}${people.identityCells[i]},${deleted ? '' : people.groupsCell[i]},${deleted ? 'deleted' : 'enabled'},${created},`;
      const messages = u[b + F_MESSAGES]!;
      if (messages === 0) {
        row += `0,,,0,,,0,0,,0,0,,0,0,,0,${lastCell}\n`;
      } else {
        let gptMessages = 0;
        let gptCount = 0;
        let gptMap = '';
        for (let s = 0; s < GPT_SLOTS; s++) {
          const c = u[b + F_GPT + s]!;
          if (c === 0) continue;
          gptMessages += c;
          gptMap += (gptCount++ === 0 ? '{' : ', ') + gpts.key[slots.gpt[i * GPT_SLOTS + s]!]! + ': ' + c;
        }
        let toolMessages = 0;
        let toolCount = 0;
        for (let t = 0; t < N_TOOLS; t++) {
          const c = u[b + F_TOOL + t]!;
          if (c > 0) {
            toolMessages += c;
            toolCount++;
          }
        }
        let projectMessages = 0;
        let projectCount = 0;
        let projectMap = '';
        for (let s = 0; s < PROJECT_SLOTS; s++) {
          const c = u[b + F_PROJECT + s]!;
          if (c === 0) continue;
          projectMessages += c;
          projectMap += (projectCount++ === 0 ? '{' : ', ') + projects.key[slots.project[i * PROJECT_SLOTS + s]!]! + ': ' + c;
        }
        row +=
          `1,${days.format(windowStart + u[b + F_FIRST]! - 1)},${days.format(windowStart + u[b + F_LAST]! - 1)},` +
          `${messages},${ranks[i]},${mapCell(MODEL_KEYS, u, b + F_MODEL, N_MODELS)},` +
          `${gptMessages},${gptCount},${gptCount === 0 ? '' : csvCell(gptMap + '}')},` +
          `${toolMessages},${toolCount},${mapCell(TOOL_KEYS, u, b + F_TOOL, N_TOOLS)},` +
          `${projectMessages},${projectCount},${projectCount === 0 ? '' : csvCell(projectMap + '}')},` +
          `${u[b + F_PROJECTS_CREATED]},${lastCell}\n`;
      }
      out.row(row);
    }
    if (out.full) await out.flush();
  }
}

/**
 * directory.csv for event-sourced workspaces (docs/design.md §4.2): the Users report's identity columns,
 * as of the window's last day. Pending invites keep only their email, status and invite date.
 */
import type { DayFormatter } from './dates.ts';
import type { People } from './people.ts';
import type { FileSink } from './sink.ts';

export const DIRECTORY_COLUMNS = [
  'public_id',
  'name',
  'email',
  'role',
  'user_role',
  'department',
  'groups',
  'user_status',
  'created_or_invited_date',
] as const;

export async function writeDirectory(out: FileSink, people: People, asOf: number, days: DayFormatter): Promise<void> {
  out.push(DIRECTORY_COLUMNS.join(',') + '\n');
  for (let i = 0; i < people.count; i++) {
    if (people.created[i]! > asOf) continue;
    const created = days.format(people.created[i]!);
    const deleted = people.deleted[i]! <= asOf;
    if (!deleted && people.accepted[i]! > asOf) {
      out.row(`,,${people.emailCell[i]},,,,,pending,${created}\n`);
    } else {
      out.row(`${people.identityCells[i]},${deleted ? '' : people.groupsCell[i]},${deleted ? 'deleted' : 'enabled'},${created}\n`);
    }
    if (out.full) await out.flush();
  }
}

/**
 * The export figure (docs/design.md §10): `wsa export users` of one weekly report as a child process
 * — wall time and peak RSS (`/usr/bin/time -f %M`) — beside an idle `wsa` process on the same store
 * (`wsa migrate`: node, tsx, configuration and the store opened) and a floor measured in the same
 * run: the database writing the same rows as CSV by itself (`COPY (SELECT …) TO STDOUT` through
 * psql into /dev/null on PostgreSQL; COPY … TO '/dev/blob' in an in-process PGlite on the store).
 */
import { statSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { runChild, WSA_BIN } from './children.ts';
import type { Backend } from './stores.ts';

export interface ExportFigures {
  backend: Backend;
  week: { start: string; end: string };
  rows: number;
  bytes: number;
  childMs: number;
  childRssMb: number;
  idleMs: number;
  idleRssMb: number;
  floorMs: number;
  floorLabel: string;
}

/**
 * The same rows an export of the imported week reads: its snapshot in file order (the snapshot
 * found first, as the export finds it, so the accounts are read through their index rather than
 * every snapshot's), its facts.
 */
export function usersWeekSql(weekStart: string): string {
  return `select a.public_id, a.name, a.email, a.role, a.user_role, a.department, a.group_ids, a.user_status,
      a.created_or_invited_date, f.is_active, f.first_day_active_in_period, f.last_day_active_in_period, f.messages,
      f.messages_rank, f.model_to_messages, f.gpt_messages, f.gpts_messaged, f.gpt_to_messages, f.tool_messages,
      f.tools_messaged, f.tool_to_messages, f.project_messages, f.projects_messaged, f.project_to_messages,
      f.projects_created, a.last_day_active, f.credits_used
    from directory_accounts a
    left join user_facts f on f.grain = 'week' and f.period_start = '${weekStart}' and f.public_id = a.public_id
    where a.snapshot_id = (select s.id from directory_snapshots s join reports r on r.id = s.report_id
      where r.kind = 'users' and r.grain = 'week' and r.period_start = '${weekStart}' order by r.id desc limit 1)
    order by a.position`;
}

async function timedWsa(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; rssMb: number; stdout: string }> {
  const r = await runChild('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, WSA_BIN, ...args], env);
  const kb = Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? Number.NaN);
  return { ms: r.ms, rssMb: kb / 1024, stdout: r.stdout };
}

/**
 * Measures the export of the weekly Users report starting `week.start` from a store the `wsa`
 * children reach through `env` (nothing else may hold an embedded store meanwhile).
 */
export async function measureUsersExport(
  backend: Backend,
  env: NodeJS.ProcessEnv,
  floor: { psqlUrl: string } | { pgliteDir: string },
  week: { start: string; end: string },
  out: string,
): Promise<ExportFigures> {
  const idle = await timedWsa(['migrate'], env);
  const child = await timedWsa(['export', 'users', '--from', week.start, '--to', week.end, '--cadence', 'weekly', '--out', out], env);
  const rows = Number(/Wrote (\d+) row/.exec(child.stdout)?.[1] ?? Number.NaN);
  const query = usersWeekSql(week.start);
  let floorMs: number;
  let floorLabel: string;
  if ('psqlUrl' in floor) {
    // The plan the export runs with (no nested loops: see src/exports/cursor.ts), so both sides
    // stand on the same statistics.
    const r = await runChild('sh', ['-c', `psql "$1" -X -q -v ON_ERROR_STOP=1 -c 'set enable_nestloop = off' -c "$2" > /dev/null`, 'sh', floor.psqlUrl, `copy (${query}) to stdout with (format csv, header true)`]);
    floorMs = r.ms;
    floorLabel = 'psql COPY (SELECT same rows) TO STDOUT > /dev/null';
  } else {
    const db = await PGlite.create({ dataDir: floor.pgliteDir });
    try {
      await db.exec('set enable_nestloop = off');
      const started = performance.now();
      await db.query(`copy (${query}) to '/dev/blob' with (format csv, header true)`);
      floorMs = performance.now() - started;
    } finally {
      await db.close();
    }
    floorLabel = "PGlite COPY (SELECT same rows) TO '/dev/blob', in-process";
  }
  return { backend, week, rows, bytes: statSync(out).size, childMs: child.ms, childRssMb: child.rssMb, idleMs: idle.ms, idleRssMb: idle.rssMb, floorMs, floorLabel };
}

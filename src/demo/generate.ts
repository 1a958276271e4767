/**
 * generateWorkspace: writes a deterministic synthetic workspace as files in the real-world form
 * of docs/design.md §4.1. It only writes files; loading them goes through the importers.
 *
 * One pass over the window's days: each day is simulated into the current week's and month's
 * counts; when a week or month ends, its reports are written from those counts and the week's
 * are cleared. Memory stays flat in the number of weeks: per-account state is typed arrays, and
 * every file is streamed with backpressure.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { DayFormatter, formatIsoDay, monthEnd, monthStart, parseIsoDay } from './dates.ts';
import { IMPACT_CATALOG } from './impact-catalog.ts';
import { IMPACT_COLUMNS, ImpactSurveys } from './impact.ts';
import { assignGptSlots, buildGpts, buildProjects, emptySlots, setProjectChances } from './items.ts';
import {
  MANIFEST_FILE,
  digestOf,
  sortForImport,
  type GeneratedFile,
  type GeneratedFileKind,
  type GeneratedManifest,
  type GeneratedSummary,
} from './manifest.ts';
import { resolveOptions, type GenerateOptions } from './options.ts';
import { UsageError } from '../core/errors.ts';
import { NEVER, buildPeople, statusOn } from './people.ts';
import { periodsEndingOn, reportFileName, type Period } from './periods.ts';
import { buildProfiles } from './profiles.ts';
import { Simulation, type PeriodCounts } from './simulate.ts';
import { FileSink } from './sink.ts';
import { DEPARTMENTS } from './vocabulary.ts';
import { writeDirectory } from './write-directory.ts';
import { EventWriter } from './write-events.ts';
import { writeItemsReport } from './write-items-report.ts';
import { writeUsersReport } from './write-users-report.ts';

export const CATALOG_FILE = 'impact-catalog.json';
export const DIRECTORY_FILE = 'directory.csv';
export const EVENTS_FILE = 'events.ndjson';

export async function generateWorkspace(options: GenerateOptions, outDir: string): Promise<GeneratedManifest> {
  const opts = resolveOptions(options);
  const { seed, accountId } = opts;
  const start = parseIsoDay(opts.startDate);
  const end = parseIsoDay(opts.endDate);

  const people = buildPeople(seed, opts.users, opts.groups, start, end);
  const profiles = buildProfiles(
    seed,
    people,
    DEPARTMENTS.map((d) => d.key),
    start,
    end,
  );
  const slots = emptySlots(people.count);
  const gpts = buildGpts(seed, people, profiles, opts.gpts, start, end);
  assignGptSlots(seed, people, profiles, gpts, slots);
  const projects = buildProjects(seed, people, profiles, slots, opts.projects, start, end);
  setProjectChances(seed, people, profiles, slots);

  let firstDay = end;
  for (let i = 0; i < people.count; i++) firstDay = Math.min(firstDay, people.created[i]!);
  const days = new DayFormatter(Math.min(firstDay, start - 400), end);

  prepareOutDir(outDir);
  const files: GeneratedFile[] = [];
  const finish = async (sink: FileSink, path: string, kind: GeneratedFileKind, period?: Period) => {
    const { sha256, bytes, rows } = await sink.close();
    const file: GeneratedFile = { path, kind, sha256, bytes, rows };
    if (period) {
      file.cadence = period.cadence;
      file.period_start = formatIsoDay(period.start);
      file.period_end = formatIsoDay(period.end);
    }
    files.push(file);
  };
  const open = (path: string) => new FileSink(join(outDir, ...path.split('/')));

  // The impact question catalog.
  const catalogText = JSON.stringify(IMPACT_CATALOG, null, 2) + '\n';
  writeFileSync(join(outDir, CATALOG_FILE), catalogText);
  files.push({
    path: CATALOG_FILE,
    kind: 'catalog',
    sha256: createHash('sha256').update(catalogText).digest('hex'),
    bytes: Buffer.byteLength(catalogText),
    rows: IMPACT_CATALOG.questions.length,
  });

  const eventsMode = opts.source === 'events';
  const eventWriter = eventsMode ? new EventWriter(seed, people, profiles, gpts, projects, start, end) : undefined;
  const eventsSink = eventsMode ? open(EVENTS_FILE) : undefined;
  const world = { people, profiles, gpts, projects, slots, start, end };
  const sim = new Simulation(world, seed, eventWriter);
  const impact = new ImpactSurveys(seed, people, profiles, accountId, start, end);

  const reportContext = { people, gpts, projects, slots, accountId, windowStart: start, days };
  const ranks = new Int32Array(people.count);
  const gptUnique = new Int32Array(gpts.count);
  const projectUnique = new Int32Array(projects.count);

  const writeReports = async (period: Period, counts: PeriodCounts) => {
    for (const [kind, items, unique] of [
      ['gpt', gpts, gptUnique],
      ['project', projects, projectUnique],
    ] as const) {
      // A report with no item would be header-only, which no import can place in time: skip it.
      if (!items.created.some((created) => created !== NEVER && created <= period.end)) continue;
      const path = reportFileName(`${kind}s`, period);
      const sink = open(path);
      await writeItemsReport(sink, reportContext, kind, items, period, counts, unique);
      await finish(sink, path, `${kind}s`, period);
    }
    if (!eventsMode) {
      const path = reportFileName('users', period);
      const sink = open(path);
      await writeUsersReport(sink, reportContext, period, counts, sim.lastActive, ranks);
      await finish(sink, path, 'users', period);
    }
  };

  // Impact survey reports: one per month of the window that has responses.
  let impactSink: FileSink | undefined;
  let impactPeriod: Period | undefined;
  const impactOut = (): FileSink => {
    if (!impactSink) {
      impactSink = open(reportFileName('impact', impactPeriod!));
      impactSink.push(IMPACT_COLUMNS.join(',') + '\n');
    }
    return impactSink;
  };
  for (let day = start; day <= end; day++) {
    sim.beginDay(day);
    if (day === monthStart(day)) {
      const complete = monthEnd(day) <= end;
      impactPeriod = { cadence: complete ? 'Monthly' : 'Partial Monthly', start: day, end: complete ? monthEnd(day) : end };
    }

    sim.simulateDay(day);
    if (eventWriter && eventsSink) await eventWriter.flushDay(day, eventsSink);
    if (impactPeriod) await impact.writeDay(day, impactPeriod, impactOut);

    const { week, month } = periodsEndingOn(day, start, end);
    if (week) {
      await writeReports(week, sim.week);
      sim.week.reset();
    }
    if (month) await writeReports(month, sim.month);
    if (impactPeriod && day === impactPeriod.end) {
      if (impactSink) await finish(impactSink, reportFileName('impact', impactPeriod), 'impact', impactPeriod);
      impactSink = undefined;
      impactPeriod = undefined;
    }
  }

  if (eventsSink) await finish(eventsSink, EVENTS_FILE, 'events');
  if (eventsMode) {
    const sink = open(DIRECTORY_FILE);
    await writeDirectory(sink, people, end, days);
    await finish(sink, DIRECTORY_FILE, 'directory');
  }

  const ordered = sortForImport(files);
  const manifest: GeneratedManifest = {
    generator: 'wsa-demo',
    version: 1,
    options: opts,
    files: ordered,
    summary: summarize(people, gpts, projects, end, sim.messages, eventWriter?.count ?? 0, impact),
    digest: digestOf(ordered),
  };
  writeFileSync(join(outDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/**
 * Makes `outDir` ready: created when missing; when it holds an earlier demo, the files its
 * manifest lists are removed (so no stale report is left beside the new ones); any other
 * non-empty directory is refused rather than written into.
 */
function prepareOutDir(outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  const manifestPath = join(outDir, MANIFEST_FILE);
  if (existsSync(manifestPath)) {
    let previous: Partial<GeneratedManifest> | undefined;
    try {
      previous = JSON.parse(readFileSync(manifestPath, 'utf8')) as Partial<GeneratedManifest>;
    } catch {
      previous = undefined;
    }
    if (previous?.generator !== 'wsa-demo' || !Array.isArray(previous.files)) {
      throw new UsageError(`${outDir} holds a ${MANIFEST_FILE} that is not a demo manifest; choose another directory`);
    }
    for (const f of previous.files) {
      if (typeof f.path === 'string' && !f.path.split('/').includes('..')) rmSync(join(outDir, ...f.path.split('/')), { force: true });
    }
    rmSync(manifestPath, { force: true });
    return;
  }
  if (readdirSync(outDir).length > 0) {
    throw new UsageError(`${outDir} is not empty and holds no demo manifest; give an empty or new directory`);
  }
}

function summarize(
  people: ReturnType<typeof buildPeople>,
  gpts: ReturnType<typeof buildGpts>,
  projects: ReturnType<typeof buildProjects>,
  end: number,
  messages: number,
  events: number,
  impact: ImpactSurveys,
): GeneratedSummary {
  const accounts = { total: 0, enabled: 0, pending: 0, deleted: 0 };
  const members = new Array<number>(people.groups.length).fill(0);
  for (let i = 0; i < people.count; i++) {
    const status = statusOn(people, i, end);
    if (!status) continue;
    accounts.total++;
    accounts[status]++;
    if (status === 'enabled') for (const g of people.groupsOf[i]!) members[g]!++;
  }
  let live = 0;
  let gptTotal = 0;
  for (let g = 0; g < gpts.count; g++) {
    if (gpts.created[g]! > end) continue;
    gptTotal++;
    live += gpts.live[g]!;
  }
  let projectTotal = 0;
  for (let p = 0; p < projects.count; p++) if (projects.created[p] !== NEVER && projects.created[p]! <= end) projectTotal++;
  return {
    accounts,
    groups: people.groups.map((g, k) => ({ id: g.id, name: g.name, members: members[k]! })),
    messages,
    events,
    gpts: { total: gptTotal, live },
    projects: projectTotal,
    impact: { surveys: impact.surveys.length, responses: impact.responses },
  };
}

/**
 * The core workspace: ten people over February 2026 (four whole Sunday–Saturday weeks, W1 Feb 1–7
 * … W4 Feb 22–28, also one whole month) and a partial week Mar 1–4. Today is Thursday 2026-03-05;
 * data runs through 2026-03-04 (both stores hold activity on the first and the last data day).
 *
 * The same activity is written either as usage events (event-fed store, directory CSV snapshots
 * at each week's end) or as Users reports (export-fed store: weekly W1–W4, monthly February,
 * Partial Weekly and Partial Monthly Mar 1–4, each with its own directory snapshot).
 *
 * Activity (messages; tools/GPTs/projects/skills/apps are counts among those messages):
 *   W1  ann Feb 1  10 conv c-ann-1 writing/Sales   tools Search 2, Canvas 1; gpt g-1 2; project g-p-1 1;
 *                                                  skill pdf 1; app drive 1; (exports: 1 project created)
 *       bob Feb 3   3 conv c-bob-1 analysis/Finance tools Search 1
 *       dan Feb 4   1 conv c-dan-1 coding/Engineering
 *       hal Feb 5   4 conv c-hal-1 coding/Engineering gpt g-2 4
 *   W2  ann Feb 9  10 conv c-ann-1 (continued) coding/Sales  tools Data Analysis 1; project g-p-1 2
 *       cat Feb 10  5 conv c-cat-1 writing/Engineering gpt g-1 1; skill pdf 2
 *       dan Feb 11  1 conv c-dan-2 coding/Engineering
 *   W3  ann Feb 16 10 conv c-ann-2 writing/Sales
 *       bob Feb 17  2 conv c-bob-2 writing/Sales
 *       dan Feb 18  1 conv c-dan-3 analysis/Finance
 *   W4  ann Feb 23 10 conv c-ann-3 analysis/Finance
 *       dan Feb 24  1 conv c-dan-4 coding/Engineering
 *       eve Feb 25  7 conv c-eve-1 (no task type, no topic) app slack 2
 *   W5  fay Mar 2   2 conv c-fay-1 writing/Sales
 *       ann Mar 4   4 conv c-ann-4 writing/(no topic)
 *
 * Directory (g-sales "Sales", g-eng "Engineering"):
 *   through Feb 14: ann, bob, ivy in Sales; cat, dan, hal in Engineering; eve in no group;
 *                   gus@example.com a pending invite; ivy never sends a message.
 *   from Feb 21:    dan moves to Sales; hal is deleted (no groups).
 *   from Mar 4:     fay joins, enabled, in Sales.
 */
import type { Db } from '../../src/store/schema.ts';
import { StoreFixture, type Account, type Act } from './fixtures.ts';

export const TODAY = '2026-03-05';

export const ACTS: Act[] = [
  {
    u: 'user-ann', d: '2026-02-01', n: 10, conv: 'c-ann-1', task: 'writing', topic: 'Sales',
    tool: { Search: 2, Canvas: 1 }, gpt: { 'g-1': 2 }, project: { 'g-p-1': 1 }, skill: { pdf: 1 }, app: { drive: 1 },
    projectsCreated: 1,
  },
  { u: 'user-bob', d: '2026-02-03', n: 3, conv: 'c-bob-1', task: 'analysis', topic: 'Finance', tool: { Search: 1 } },
  { u: 'user-dan', d: '2026-02-04', n: 1, conv: 'c-dan-1', task: 'coding', topic: 'Engineering' },
  { u: 'user-hal', d: '2026-02-05', n: 4, conv: 'c-hal-1', task: 'coding', topic: 'Engineering', gpt: { 'g-2': 4 } },
  { u: 'user-ann', d: '2026-02-09', n: 10, conv: 'c-ann-1', task: 'coding', topic: 'Sales', tool: { 'Data Analysis': 1 }, project: { 'g-p-1': 2 } },
  { u: 'user-cat', d: '2026-02-10', n: 5, conv: 'c-cat-1', task: 'writing', topic: 'Engineering', gpt: { 'g-1': 1 }, skill: { pdf: 2 } },
  { u: 'user-dan', d: '2026-02-11', n: 1, conv: 'c-dan-2', task: 'coding', topic: 'Engineering' },
  { u: 'user-ann', d: '2026-02-16', n: 10, conv: 'c-ann-2', task: 'writing', topic: 'Sales' },
  { u: 'user-bob', d: '2026-02-17', n: 2, conv: 'c-bob-2', task: 'writing', topic: 'Sales' },
  { u: 'user-dan', d: '2026-02-18', n: 1, conv: 'c-dan-3', task: 'analysis', topic: 'Finance' },
  { u: 'user-ann', d: '2026-02-23', n: 10, conv: 'c-ann-3', task: 'analysis', topic: 'Finance' },
  { u: 'user-dan', d: '2026-02-24', n: 1, conv: 'c-dan-4', task: 'coding', topic: 'Engineering' },
  { u: 'user-eve', d: '2026-02-25', n: 7, conv: 'c-eve-1', task: null, topic: null, app: { slack: 2 } },
  { u: 'user-fay', d: '2026-03-02', n: 2, conv: 'c-fay-1', task: 'writing', topic: 'Sales' },
  { u: 'user-ann', d: '2026-03-04', n: 4, conv: 'c-ann-4', task: 'writing', topic: null },
];

const e = (id: string, groups: string[], status: Account['status'] = 'enabled'): Account => ({
  id: `user-${id}`,
  email: `${id}@example.com`,
  status,
  groups,
});

/** The directory as of a day. */
export function directoryAt(asOf: string): Account[] {
  const early = asOf < '2026-02-21';
  const list: Account[] = [
    e('ann', ['g-sales']),
    e('bob', ['g-sales']),
    e('cat', ['g-eng']),
    e('dan', early ? ['g-eng'] : ['g-sales']),
    e('eve', []),
    early ? e('hal', ['g-eng']) : e('hal', [], 'deleted'),
    e('ivy', ['g-sales']),
    { email: 'Gus@Example.com', status: 'pending' },
  ];
  if (asOf >= '2026-03-04') list.push(e('fay', ['g-sales']));
  return list;
}

export const WEEKS = [
  ['2026-02-01', '2026-02-07'],
  ['2026-02-08', '2026-02-14'],
  ['2026-02-15', '2026-02-21'],
  ['2026-02-22', '2026-02-28'],
] as const;

export async function buildCore(db: Db, source: 'exports' | 'events'): Promise<StoreFixture> {
  const f = new StoreFixture(db);
  await f.workspace(source);
  await f.settings({ seats: 20 });
  await f.groups([
    ['g-sales', 'Sales'],
    ['g-eng', 'Engineering'],
  ]);
  if (source === 'events') {
    await f.events(ACTS);
    for (const [, end] of WEEKS) await f.directory(end, directoryAt(end));
    await f.directory('2026-03-04', directoryAt('2026-03-04'));
  } else {
    for (const [start, end] of WEEKS) {
      await f.usersReport({ grain: 'week', start, end, accounts: directoryAt(end), acts: ACTS });
    }
    await f.usersReport({ grain: 'month', start: '2026-02-01', end: '2026-02-28', accounts: directoryAt('2026-02-28'), acts: ACTS });
    await f.usersReport({
      grain: 'week', cadence: 'Partial Weekly', start: '2026-03-01', end: '2026-03-04',
      accounts: directoryAt('2026-03-04'), acts: ACTS,
    });
    await f.usersReport({
      grain: 'month', cadence: 'Partial Monthly', start: '2026-03-01', end: '2026-03-04',
      accounts: directoryAt('2026-03-04'), acts: ACTS,
    });
  }
  return f;
}

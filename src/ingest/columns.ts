/**
 * The columns of the four ChatGPT Enterprise export reports, exactly as the help article's
 * appendix lists them (docs/design.md §4.1), the common columns first; the Users and
 * Impact column the appendix leaves unnamed is `email`. Plus the directory CSV of event sources
 * (§4.2), whose header is the Users report's identity columns. The kind of a CSV file is
 * detected from its header row.
 */
import { Problems } from './problems.ts';

export type CsvKind = 'users' | 'gpts' | 'projects' | 'impact' | 'directory';

export const COMMON_COLUMNS = ['cadence', 'period_start', 'period_end', 'account_id'] as const;

/** The Users report's identity columns, which are also the directory CSV's header. */
export const IDENTITY_COLUMNS = [
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

export const USERS_USAGE_COLUMNS = [
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
  'credits_used',
] as const;

function itemColumns<P extends 'gpt' | 'project'>(p: P) {
  return [
    `${p}_id`,
    `${p}_name`,
    'config_type',
    `${p}_description`,
    `${p}_url`,
    `${p}_creator_public_id`,
    'is_active',
    'first_day_active_in_period',
    'last_day_active_in_period',
    'messages_workspace',
    'unique_messagers_workspace',
    `${p}_creator_email`,
  ] as const;
}

export const IMPACT_COLUMNS = [
  'date_partition',
  'workspace_id',
  'name',
  'email',
  'survey_id',
  'survey_name',
  'question_id',
  'answer_id',
] as const;

export interface CsvLayout {
  readonly kind: CsvKind;
  /** What people call it, for messages. */
  readonly label: string;
  /** Every column, in the order the file must have them. */
  readonly columns: readonly string[];
  /** Columns that may be absent. */
  readonly optional: readonly string[];
}

export const LAYOUTS: readonly CsvLayout[] = [
  {
    kind: 'users',
    label: 'Users report',
    columns: [...COMMON_COLUMNS, ...IDENTITY_COLUMNS, ...USERS_USAGE_COLUMNS],
    optional: ['credits_used'],
  },
  { kind: 'gpts', label: 'GPT report', columns: [...COMMON_COLUMNS, ...itemColumns('gpt')], optional: [] },
  {
    kind: 'projects',
    label: 'Project report',
    columns: [...COMMON_COLUMNS, ...itemColumns('project')],
    optional: [],
  },
  { kind: 'impact', label: 'Impact survey report', columns: [...COMMON_COLUMNS, ...IMPACT_COLUMNS], optional: [] },
  { kind: 'directory', label: 'directory CSV', columns: [...IDENTITY_COLUMNS], optional: [] },
];

export function layoutOf(kind: CsvKind): CsvLayout {
  return LAYOUTS.find((l) => l.kind === kind)!;
}

/** Where each known column is in the file's rows. */
export interface HeaderMap {
  readonly layout: CsvLayout;
  /** column name → field index (absent optional columns are missing). */
  readonly index: ReadonlyMap<string, number>;
  /** Header cells that are not columns of the layout (kept out of the store). */
  readonly unknown: readonly string[];
  /** Number of fields every row must have. */
  readonly width: number;
  /** The header's names, by field index (for messages about a field). */
  readonly names: readonly string[];
}

/**
 * Recognises the header row. The kind is the layout the header is closest to (fewest missing plus
 * unexpected columns); then every required column must be there, once, in the appendix order.
 * Throws InvalidInputError (line 1, naming the columns) otherwise.
 */
export function readHeader(source: string, fields: readonly string[]): HeaderMap {
  const present = new Set(fields);
  let best: { layout: CsvLayout; distance: number; shared: number } | undefined;
  for (const layout of LAYOUTS) {
    const known = new Set(layout.columns);
    const shared = fields.filter((f) => known.has(f)).length;
    const missing = layout.columns.filter((c) => !present.has(c) && !layout.optional.includes(c)).length;
    const distance = missing + (fields.length - shared);
    if (!best || distance < best.distance) best = { layout, distance, shared };
  }
  const problems = new Problems(source);
  if (fields.length === 1 && /[;\t|]/.test(fields[0]!)) {
    const separator = fields[0]!.includes(';') ? 'semicolons' : fields[0]!.includes('\t') ? 'tabs' : 'bars';
    problems.add(1, undefined, `the header is separated by ${separator}; export reports are comma-separated (save the file as CSV with commas)`);
    problems.throwIfAny();
  }
  if (!best || best.shared < Math.ceil(best.layout.columns.length / 2)) {
    const shown = fields.slice(0, 6).join(',') + (fields.length > 6 ? ',…' : '');
    problems.add(
      1,
      undefined,
      `unknown header "${shown}": not a ChatGPT Enterprise Users, GPT, Project or Impact survey report ` +
        `(their header starts ${COMMON_COLUMNS.join(',')},…), nor a directory CSV (${IDENTITY_COLUMNS.join(',')})`,
    );
    problems.throwIfAny();
  }
  const layout = best!.layout;
  const known = new Set(layout.columns);
  const index = new Map<string, number>();
  fields.forEach((f, i) => {
    if (!known.has(f)) return;
    if (index.has(f)) problems.add(1, f, `column ${f} appears twice (fields ${index.get(f)! + 1} and ${i + 1})`);
    else index.set(f, i);
  });
  for (const column of layout.columns) {
    if (index.has(column) || layout.optional.includes(column)) continue;
    const near = fields.find((f) => f.trim().toLowerCase() === column);
    problems.add(
      1,
      column,
      `the ${layout.label} column ${column} is missing` +
        (near === undefined ? '' : ` (found ${JSON.stringify(near)}: column names are exact, lower-case, without spaces)`),
    );
  }
  if (!problems.any) {
    // The known columns must follow the appendix order.
    let previous: string | undefined;
    for (const f of fields) {
      if (!known.has(f)) continue;
      if (previous !== undefined && layout.columns.indexOf(f) < layout.columns.indexOf(previous)) {
        problems.add(1, f, `column ${f} is out of order: the ${layout.label} has it before ${previous}`);
        break;
      }
      previous = f;
    }
  }
  problems.throwIfAny();
  return {
    layout,
    index,
    unknown: fields.filter((f) => !known.has(f)),
    width: fields.length,
    names: fields,
  };
}

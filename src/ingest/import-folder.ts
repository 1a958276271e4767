/**
 * `wsa import FOLDER`: the files of a folder (not its sub-folders), each recognised from its first
 * bytes the way the importer recognises it, put in the order that leaves the store right:
 * 1. the impact question catalog, then the directory CSV;
 * 2. Users reports by period (start, then end: a Partial Monthly before the Monthly that replaces
 *    it), so the newest one becomes the directory in use last;
 * 3. the rest (GPT, Project, Impact survey reports) by kind, then period.
 * Files it does not recognise are skipped with the reason. Files named on the command line are
 * imported as given, in the order given: a bad one is an error, not a skip.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError, WsaError } from '../core/errors.ts';
import { readHeader } from './columns.ts';
import { isRoleMapHeader } from './role-map.ts';
import { CsvReader } from './csv-reader.ts';
import type { ImportedKind } from './import-types.ts';

/** How far into a file recognition reads (a header and the first row fit easily). */
const PEEK_BYTES = 64 * 1024;

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ImportPlan {
  /** The files to import, in order. */
  files: string[];
  /** Files of the folders given that are not imported, with why. */
  skipped: SkippedFile[];
  /** Whether a folder was given (its summary line is printed even for one file). */
  folders: number;
}

interface Recognised {
  path: string;
  /** `unknown`: a report header with a problem, imported last so the problem is reported. */
  kind: ImportedKind | 'unknown';
  start: string;
  end: string;
}

const KIND_RANK: Record<Recognised['kind'], number> = { catalog: 0, directory: 1, users: 2, gpts: 3, projects: 4, impact: 5, 'role-map': 6, unknown: 7 };

/** Expands folders into their recognised files; missing paths are reported together. */
export async function planImport(paths: readonly string[]): Promise<ImportPlan> {
  const plan: ImportPlan = { files: [], skipped: [], folders: 0 };
  const missing: string[] = [];
  for (const path of paths) {
    let isFolder: boolean;
    try {
      const info = await stat(path);
      isFolder = info.isDirectory();
      if (!isFolder && !info.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOTFILE' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      missing.push(
        code === 'ENOENT' ? `${path}: no such file or folder` : code === 'ENOTFILE' ? `${path}: not a file or folder` : `${path}: cannot be read (${code})`,
      );
      continue;
    }
    if (!isFolder) {
      plan.files.push(path);
      continue;
    }
    plan.folders++;
    const recognised: Recognised[] = [];
    const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const file = join(path, entry.name);
      if (!entry.isFile()) {
        plan.skipped.push({ path: file, reason: entry.isDirectory() ? 'a folder (folders inside are not searched)' : 'not a file' });
        continue;
      }
      const found = await recognise(file);
      if (typeof found === 'string') plan.skipped.push({ path: file, reason: found });
      else recognised.push(found);
    }
    recognised.sort(
      (a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || compare(a.start, b.start) || compare(a.end, b.end) || compare(a.path, b.path),
    );
    plan.files.push(...recognised.map((r) => r.path));
  }
  if (missing.length > 0) throw new NotFoundError(`${missing.join('\n')}\nNo file was imported.`);
  return plan;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a file is, from its first bytes; a string says why it is not an import file. */
async function recognise(path: string): Promise<Recognised | string> {
  const head = await readHead(path);
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (text === '') return 'empty';
  if (text.startsWith('{')) {
    const firstLine = text.split('\n', 1)[0]!;
    if (/"conversation_id"\s*:/.test(firstLine) && /"ts"\s*:/.test(firstLine)) {
      return 'usage events (NDJSON): give them to `wsa ingest`';
    }
    return { path, kind: 'catalog', start: '', end: '' };
  }
  if (head.includes(0)) return 'not a text file';
  const records = new CsvReader([head]).records();
  let found: Recognised | undefined;
  try {
    const header = await records.next();
    if (header.done) return 'empty';
    if (isRoleMapHeader(header.value.fields)) return { path, kind: 'role-map', start: '', end: '' };
    const map = readHeader(path, header.value.fields);
    found = { path, kind: map.layout.kind, start: '', end: '' };
    const first = await records.next();
    if (!first.done) {
      found.start = first.value.fields[map.names.indexOf('period_start')] ?? '';
      found.end = first.value.fields[map.names.indexOf('period_end')] ?? '';
    }
    return found;
  } catch (error) {
    // The first row may be cut off by the peek: the header alone decides then.
    if (found) return found;
    if (!(error instanceof WsaError)) return 'not an export file wsa knows (its first line is not a report header)';
    const reason = firstLineOf(error.message);
    // A header close to a report's but not right (a column missing, say) is imported, last, so
    // that its problem is reported rather than passed over.
    if (!/unknown header|separated by|not UTF-8/.test(reason)) return { path, kind: 'unknown', start: '', end: '' };
    return `not an export file wsa knows (${reason})`;
  } finally {
    await records.return(undefined);
  }
}

function firstLineOf(message: string): string {
  const problem = message.split('\n').find((l) => l.trim().startsWith('line '));
  return (problem ?? message.split('\n')[0]!).trim().replace(/^line 1(, column [^:]+)?: /, '');
}

async function readHead(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of createReadStream(path, { start: 0, end: PEEK_BYTES - 1 })) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= PEEK_BYTES) break;
  }
  return Buffer.concat(chunks);
}

/**
 * The import API (docs/design.md §4, §4.1, §4.2, §5): ChatGPT Enterprise export reports (Users, GPTs,
 * Projects, Impact survey), the directory CSV of event sources and the impact question catalog
 * JSON, recognised from their content. Each file is imported all or nothing in a transaction of
 * its own; `importFiles` stops at the first bad file and says which files went in.
 *
 *   importFiles(db, paths, options)          → ImportResult[]   (throws ImportStoppedError)
 *   importFile(db, path, options)            → ImportResult
 *   importStream(db, bytes, name, options)   → ImportResult     (any byte source: a stream, chunks)
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InvalidInputError, NotFoundError, WsaError, isWsaError } from '../core/errors.ts';
import type { DbOrTx } from '../store/schema.ts';
import { CsvReader, type ByteSource } from './csv-reader.ts';
import { MAX_CATALOG_BYTES, importCatalog } from './impact-catalog.ts';
import { importCsv } from './import-csv.ts';
import type { ImportOptions, ImportResult } from './import-types.ts';
import { fail } from './problems.ts';

export type { ImportOptions, ImportResult, ImportedKind, ReplacedReport } from './import-types.ts';

/** Read size for files: big enough to keep per-chunk overhead negligible. */
const READ_CHUNK_BYTES = 256 * 1024;

/** Imports one file, read as a stream. */
export async function importFile(db: DbOrTx, path: string, options: ImportOptions): Promise<ImportResult> {
  await checkReadable(path);
  return importStream(db, createReadStream(path, { highWaterMark: READ_CHUNK_BYTES }), path, options);
}

/**
 * Imports one file's bytes. A file whose first character (after a BOM and white space) is `{` is
 * an impact question catalog; anything else is read as CSV and recognised from its header.
 */
export async function importStream(
  db: DbOrTx,
  input: ByteSource,
  name: string,
  options: ImportOptions,
): Promise<ImportResult> {
  const started = performance.now();
  const { first, source } = await peekFirstByte(input);
  const result =
    first === 0x7b /* { */
      ? await importCatalog(db, name, await readAll(source, name), options)
      : await importCsv(db, new CsvReader(source), name, options);
  options.logger.info(
    {
      file: basename(name),
      kind: result.kind,
      rows: result.rows,
      warnings: result.warnings.length,
      replaced: result.replaced !== undefined,
      replacedDemo: result.replacedDemo,
      ms: Math.round(performance.now() - started),
    },
    'import.completed',
  );
  return result;
}

/** The error of `importFiles`: which file failed, why, and which went in before it. */
export class ImportStoppedError extends WsaError {
  constructor(
    readonly file: string,
    readonly reason: WsaError,
    readonly imported: readonly ImportResult[],
    readonly notAttempted: readonly string[],
  ) {
    const done =
      imported.length === 0
        ? 'No file was imported.'
        : `Imported before it: ${imported.map((r) => r.file).join(', ')}.`;
    const rest = notAttempted.length === 0 ? '' : ` Not attempted: ${notAttempted.join(', ')}.`;
    super(reason.code, `${reason.message}\n${done}${rest}`, { cause: reason });
  }
}

/**
 * Imports files one by one, each in its own transaction, stopping at the first that fails.
 * Missing files are found before anything is imported.
 */
export async function importFiles(
  db: DbOrTx,
  paths: readonly string[],
  options: ImportOptions & { onImported?: (result: ImportResult) => void },
): Promise<ImportResult[]> {
  const missing: string[] = [];
  for (const path of paths) {
    try {
      await checkReadable(path);
    } catch (error) {
      if (!(error instanceof WsaError)) throw error;
      missing.push(error.message);
    }
  }
  if (missing.length > 0) throw new NotFoundError(`${missing.join('\n')}\nNo file was imported.`);
  const results: ImportResult[] = [];
  for (const [i, path] of paths.entries()) {
    try {
      const result = await importFile(db, path, options);
      results.push(result);
      options.onImported?.(result);
    } catch (error) {
      const reason = isWsaError(error)
        ? error
        : new InvalidInputError(path, [{ line: 0, message: `could not be imported: ${(error as Error).message}` }]);
      throw new ImportStoppedError(path, reason, results, paths.slice(i + 1));
    }
  }
  return results;
}

async function checkReadable(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new NotFoundError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot be read (${code})`);
  }
  if (!info.isFile()) throw new NotFoundError(`${path}: not a file`);
}

/** Finds the first byte that is not a BOM or white space, without losing any input. */
async function peekFirstByte(input: ByteSource): Promise<{ first: number | undefined; source: AsyncIterable<Buffer> }> {
  const iterator = (Symbol.asyncIterator in input ? input[Symbol.asyncIterator]() : input[Symbol.iterator]()) as
    | AsyncIterator<Uint8Array | string>
    | Iterator<Uint8Array | string>;
  const held: Buffer[] = [];
  let first: number | undefined;
  let offset = 0;
  let done = false;
  while (first === undefined) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = toBuffer(next.value);
    held.push(chunk);
    for (const byte of chunk) {
      const inBom = offset < 3 && byte === [0xef, 0xbb, 0xbf][offset] && held[0]![0] === 0xef;
      offset++;
      if (inBom || byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
      first = byte;
      break;
    }
  }
  async function* source(): AsyncGenerator<Buffer> {
    try {
      yield* held.splice(0);
      while (!done) {
        const next = await iterator.next();
        if (next.done) done = true;
        else yield toBuffer(next.value);
      }
    } finally {
      // stopped early (a bad file): close the input
      if (!done) await iterator.return?.();
    }
  }
  return { first, source: source() };
}

function toBuffer(piece: Uint8Array | string): Buffer {
  return typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
}

async function readAll(source: AsyncIterable<Buffer>, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.length;
    if (size > MAX_CATALOG_BYTES) {
      fail(name, 0, undefined, `a question catalog is at most ${MAX_CATALOG_BYTES / 1024 / 1024} MB; this file is larger`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

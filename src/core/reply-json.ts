/**
 * The one JSON object of docs/design.md §6 written to a stream, byte for byte what
 * `JSON.stringify(toJson(reply), null, 2)` gives, without ever building it whole: the rows are
 * written one by one, and a streamed Reply's `moreRows` as they are read from the store. Writes
 * wait for the stream to drain, so memory holds about one page of rows.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { toJson, type ReplyJson, type Reply, type Row } from './reply.ts';

/** What `JSON.stringify({ rows }, null, 2)` puts around its (non-empty) rows. */
const PAGE_OPEN = '{\n  "rows": [';
const PAGE_CLOSE = '\n  ]\n}';

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

export async function writeReplyJson(
  reply: Reply,
  out: Writable,
  written: ReadonlyArray<{ kind: 'csv' | 'png'; path: string }> = [],
): Promise<void> {
  const json = toJson({ ...reply, rows: [] }, written);
  if (!('command' in json)) {
    await write(out, `${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  const { rows: _none, last_updated, warnings, files, ...head } = json satisfies ReplyJson;
  // `{ …head` without its closing brace, then the rows, then the rest without its opening brace.
  await write(out, `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "rows": [`);
  let first = true;
  const rowsOut = async (rows: readonly Row[]) => {
    if (rows.length === 0) return;
    // One native call per page: the rows of `{ "rows": [ … ] }` at two spaces sit at exactly the
    // indentation they have in the answer, so its text between the brackets is theirs, as
    // stringifying each row and indenting it by hand gives (that cost ~2.5× as much).
    const page = JSON.stringify({ rows }, null, 2);
    await write(out, `${first ? '' : ','}${page.slice(PAGE_OPEN.length, -PAGE_CLOSE.length)}`);
    first = false;
  };
  await rowsOut(reply.rows);
  for await (const page of reply.moreRows ?? []) await rowsOut(page);
  await write(out, first ? ']' : '\n  ]');
  await write(out, `,${JSON.stringify({ last_updated, warnings, files }, null, 2).slice(1)}\n`);
}

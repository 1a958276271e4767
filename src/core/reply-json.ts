/**
 * The one JSON object of docs/design.md §6 written to a stream, byte for byte what
 * `JSON.stringify(toJson(reply), null, 2)` gives, without ever building it whole: the rows are
 * written as one text, and a streamed Reply's `moreRows` page by page as they are read from the
 * store (each page already the text the answer holds, rows-json.ts). Writes wait for the stream
 * to drain, so memory holds about one page of rows.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { toJson, type ReplyJson, type Reply } from './reply.ts';
import { rowsPage, type RowsPage } from './rows-json.ts';

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
  const pageOut = async (page: RowsPage) => {
    if (page.count === 0) return;
    await write(out, `${first ? '' : ','}${page.json}`);
    first = false;
  };
  await pageOut(rowsPage(reply.rows));
  for await (const page of reply.moreRows ?? []) await pageOut(page);
  await write(out, first ? ']' : '\n  ]');
  await write(out, `,${JSON.stringify({ last_updated, warnings, files }, null, 2).slice(1)}\n`);
}

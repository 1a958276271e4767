/** The one JSON object of docs/design.md §6, written to a stream. */
import type { Writable } from 'node:stream';
import { toJson, type Reply } from './reply.ts';

export async function writeReplyJson(
  reply: Reply,
  out: Writable,
  written: ReadonlyArray<{ kind: 'csv' | 'png'; path: string }> = [],
): Promise<void> {
  out.write(`${JSON.stringify(toJson(reply, written), null, 2)}\n`);
}

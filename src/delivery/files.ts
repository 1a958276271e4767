/**
 * Files that never sit whole in memory. A Reply's FileAttachment may name a file on disk instead
 * of holding its content: `writeTempFile` streams content into a new file (mode 0600, in a
 * directory of its own, mode 0700), and deliveries read it back as a stream. Slack's upload
 * (files.getUploadURLExternal wants the length first) and Teams' file consent card (the size is on
 * the card) both need the length up front: `fileLength` stats the file rather than reading it.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileAttachment, FileOnDisk, Reply } from '../core/reply.ts';

const TEMP_PREFIX = 'wsa-file-';

/**
 * Streams `content` into a temporary file only this user can read, and returns the attachment
 * naming it (marked temporary: `releaseFiles` deletes it once the answer was delivered).
 */
export async function writeTempFile(
  kind: FileAttachment['kind'],
  name: string,
  content: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: { dir?: string } = {},
): Promise<FileOnDisk> {
  const dir = await mkdtemp(join(options.dir ?? tmpdir(), TEMP_PREFIX));
  const path = join(dir, basename(name.replace(/[/\\]/g, '_')) || 'file');
  try {
    await pipeline(Readable.from(content), createWriteStream(path, { mode: 0o600, flags: 'wx' }));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { kind, name, path, temporary: true };
}

/** The file's length in bytes: the encoded length of content in memory, or the size on disk. */
export async function fileLength(file: FileAttachment): Promise<number> {
  if (file.path !== undefined) return (await stat(file.path)).size;
  return typeof file.content === 'string' ? Buffer.byteLength(file.content, 'utf8') : file.content.byteLength;
}

/** The file's bytes: a read stream for a file on disk (opened anew each call), else the bytes held. */
export function fileBody(file: FileAttachment): Readable | Uint8Array {
  if (file.path !== undefined) return createReadStream(file.path);
  return typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
}

/** Deletes the reply's temporary files (and their directories); files it merely names stay. */
export async function releaseFiles(reply: Pick<Reply, 'files'>): Promise<void> {
  await Promise.all(
    reply.files.map(async (file) => {
      if (file.path === undefined || !file.temporary) return;
      const dir = dirname(file.path);
      // Only a directory writeTempFile made is removed whole.
      if (basename(dir).startsWith(TEMP_PREFIX)) await rm(dir, { recursive: true, force: true });
      else await rm(file.path, { force: true });
    }),
  );
}

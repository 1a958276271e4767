/** Files written by streaming to a private temporary file, measured and read without loading them. */
import { readFileSync, statSync, existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fileBody, fileLength, releaseFiles, writeTempFile } from '../../src/delivery/files.ts';

async function* rows(n: number): AsyncGenerator<string> {
  yield 'public_id,messages\n';
  for (let i = 0; i < n; i += 1) yield `user-${i},${i % 97}\n`;
}

async function readAll(body: Readable | Uint8Array): Promise<Buffer> {
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('writeTempFile', () => {
  it('streams content into a file only its owner can read, and releaseFiles deletes it', async () => {
    const file = await writeTempFile('csv', 'users-2026-11.csv', rows(1000));
    try {
      expect(file).toMatchObject({ kind: 'csv', name: 'users-2026-11.csv', temporary: true });
      expect(statSync(file.path).mode & 0o777).toBe(0o600);
      const text = readFileSync(file.path, 'utf8');
      expect(text.split('\n')).toHaveLength(1002);
      expect(text.startsWith('public_id,messages\nuser-0,0\nuser-1,1\n')).toBe(true);
      expect(await fileLength(file)).toBe(Buffer.byteLength(text));
      const body = fileBody(file);
      expect(body).toBeInstanceOf(Readable);
      expect((await readAll(body)).toString('utf8')).toBe(text);
    } finally {
      await releaseFiles({ files: [file] });
    }
    expect(existsSync(file.path)).toBe(false);
  });

  it('measures content held in memory by its encoded bytes, and never deletes a file it did not write', async () => {
    expect(await fileLength({ kind: 'csv', name: 'a.csv', content: 'é,1\n' })).toBe(5);
    expect(await fileLength({ kind: 'png', name: 'a.png', content: new Uint8Array(7) })).toBe(7);
    const kept = await writeTempFile('csv', 'kept.csv', ['a,b\n']);
    await releaseFiles({ files: [{ ...kept, temporary: false }] });
    expect(existsSync(kept.path)).toBe(true);
    await releaseFiles({ files: [kept] });
    expect(existsSync(kept.path)).toBe(false);
  });
});

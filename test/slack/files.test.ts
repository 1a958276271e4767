/**
 * A Reply whose CSV is a temporary file on disk goes up through Slack's upload flow from that
 * file: the length declared to files.getUploadURLExternal is the file's size, the bytes uploaded
 * are the file's bytes, and the file is deleted once the answer was delivered.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, type FileOnDisk } from '../../src/core/reply.ts';
import { writeTempFile } from '../../src/delivery/files.ts';
import { ASKER, post, signedHeaders, slashCommandBody, startHarness, type Harness } from './harness.ts';

async function* usersCsv(n: number): AsyncGenerator<string> {
  yield 'public_id,email,messages\n';
  for (let i = 0; i < n; i += 1) yield `user-${String(i).padStart(24, '0')},person${i}@example.com,${(i * 7) % 1000}\n`;
}

describe('Slack uploads a file from disk', () => {
  let h: Harness;
  let written: FileOnDisk | undefined;
  let expected: Buffer;

  beforeAll(async () => {
    h = await startHarness({
      adapter: {
        answer: async () => {
          written = await writeTempFile('csv', 'users-2026-11.csv', usersCsv(20_000));
          expected = readFileSync(written.path);
          return { reply: reply({ command: 'export', title: 'Users export', summary: ['20,000 rows.'], files: [written] }), channel: null };
        },
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('declares its length, uploads its bytes to the DM, and deletes the temporary file after', async () => {
    const body = slashCommandBody(h.fake, { text: 'export users' });
    expect((await post(h.eventsUrl, body, signedHeaders(body))).status).toBe(200);
    await h.fake.waitFor(() => h.fake.accepted('files.completeUploadExternal')[0], 20_000, 'the upload');
    await h.adapter.idle();

    expect(expected.length).toBeGreaterThan(1_000_000);
    const urls = h.fake.accepted('files.getUploadURLExternal');
    expect(urls).toHaveLength(1);
    expect(urls[0]?.params.filename).toBe('users-2026-11.csv');
    expect(Number(urls[0]?.params.length)).toBe(expected.length);
    expect(h.fake.uploads).toHaveLength(1);
    expect(h.fake.uploads[0]?.declaredLength).toBe(expected.length);
    expect(h.fake.uploads[0]?.bytes.equals(expected)).toBe(true);

    const complete = h.fake.accepted('files.completeUploadExternal')[0];
    expect(complete?.params.channel_id).toBe(`D${ASKER.slice(1)}`);
    expect(complete?.params.files).toEqual([{ id: h.fake.uploads[0]?.fileId, title: 'users-2026-11.csv' }]);
    expect(existsSync((written as FileOnDisk).path)).toBe(false);
  });

  it('uploads a file privately through the delivery port, with its message', async () => {
    h.fake.reset();
    const file = await writeTempFile('csv', 'weekly.csv', ['week,active\n', '2026-11-15,120\n']);
    await h.adapter.port().uploadPrivately(ASKER, file, { message: 'Your weekly export.' });
    const complete = h.fake.accepted('files.completeUploadExternal');
    expect(complete).toHaveLength(1);
    expect(complete[0]?.params.channel_id).toBe(`D${ASKER.slice(1)}`);
    expect(JSON.stringify(complete[0]?.params.blocks)).toContain('Your weekly export.');
    expect(h.fake.uploads[0]?.bytes.toString('utf8')).toBe('week,active\n2026-11-15,120\n');
    expect(h.fake.uploads[0]?.declaredLength).toBe(27);
  });
});

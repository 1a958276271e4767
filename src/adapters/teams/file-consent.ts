/**
 * Files in Teams: a bot cannot attach a file to a message. It sends a file consent card into the
 * personal chat (the only place consent cards work); when the person accepts, Teams gives an
 * upload URL in their OneDrive, the bot uploads the file there and then posts a file card that
 * opens it. Declined, the bot says it will not send it.
 *
 * The file waits in a temporary file (mode 0600) between the card and the answer, for at most
 * FILE_OFFER_TTL_MS; uploads stream from it with the length Teams needs up front, never holding
 * the file in memory. A file whose offer expired (or a restart) gets a note to ask again.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Activity } from 'botbuilder';
import type { FileAttachment } from '../../core/reply.ts';
import type { Logger } from '../../log.ts';
import { teamsWording } from './wording.ts';

export const FILE_CONSENT_CONTENT_TYPE = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CONTENT_TYPE = 'application/vnd.microsoft.teams.card.file.info';
export const FILE_OFFER_TTL_MS = 60 * 60_000;

interface Offer {
  readonly name: string;
  readonly path: string;
  readonly dir: string;
  readonly size: number;
  readonly expires: number;
}

/** What Teams sends when a consent card is accepted or declined. */
export interface ConsentResponse {
  readonly action?: string;
  readonly context?: { offer?: string } | unknown;
  readonly uploadInfo?: { uploadUrl?: string; contentUrl?: string; name?: string; uniqueId?: string; fileType?: string };
}

export interface FileOffers {
  /** Keeps the file and returns the consent card activity for it. */
  offer(file: FileAttachment): Promise<Partial<Activity>>;
  /** Uploads an accepted file and returns the file card (or a note when it cannot). */
  accept(response: ConsentResponse): Promise<Partial<Activity>>;
  /** Forgets a declined file and returns the note saying so. */
  decline(response: ConsentResponse): Promise<Partial<Activity>>;
  close(): Promise<void>;
}

function note(text: string): Partial<Activity> {
  return { type: 'message', text };
}

/** The file a Reply carries, as a path on disk with its size (written out when held in memory). */
async function toTempFile(file: FileAttachment): Promise<{ dir: string; path: string; size: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'wsa-teams-file-'));
  const path = join(dir, 'file');
  // A copy of its own: the answer's temporary files are deleted once the answer is delivered.
  if (file.path !== undefined) await copyFile(file.path, path);
  else await writeFile(path, file.content, { mode: 0o600 });
  return { dir, path, size: (await stat(path)).size };
}

export function createFileOffers(options: { logger: Logger; nowMs?: () => number; ttlMs?: number }): FileOffers {
  const nowMs = options.nowMs ?? Date.now;
  const ttl = options.ttlMs ?? FILE_OFFER_TTL_MS;
  const offers = new Map<string, Offer>();

  async function forget(id: string): Promise<void> {
    const offer = offers.get(id);
    offers.delete(id);
    if (offer) await rm(offer.dir, { recursive: true, force: true });
  }

  async function sweep(): Promise<void> {
    for (const [id, offer] of offers) if (offer.expires <= nowMs()) await forget(id);
  }

  const idOf = (response: ConsentResponse) => (response.context as { offer?: string } | undefined)?.offer;

  return {
    async offer(file) {
      await sweep();
      const id = randomUUID();
      const { dir, path, size } = await toTempFile(file);
      offers.set(id, { name: file.name, path, dir, size, expires: nowMs() + ttl });
      return {
        type: 'message',
        attachments: [
          {
            contentType: FILE_CONSENT_CONTENT_TYPE,
            name: file.name,
            content: {
              description: teamsWording.fileOffer(file.name),
              sizeInBytes: size,
              acceptContext: { offer: id },
              declineContext: { offer: id },
            },
          },
        ],
      };
    },

    async accept(response) {
      const id = idOf(response);
      const offer = id ? offers.get(id) : undefined;
      const upload = response.uploadInfo;
      if (!id || !offer || offer.expires <= nowMs() || !upload?.uploadUrl) {
        if (id) await forget(id);
        return note(teamsWording.fileExpired());
      }
      try {
        const body = Readable.toWeb(createReadStream(offer.path)) as ReadableStream<Uint8Array>;
        const res = await fetch(upload.uploadUrl, {
          method: 'PUT',
          headers: {
            'content-length': String(offer.size),
            'content-range': `bytes 0-${Math.max(0, offer.size - 1)}/${offer.size}`,
            'content-type': 'application/octet-stream',
          },
          body,
          duplex: 'half',
        } as RequestInit);
        await res.body?.cancel();
        if (!res.ok) throw new Error(`upload answered ${res.status}`);
      } catch (error) {
        options.logger.warn({ err: error }, 'teams.file.upload_failed');
        return note(teamsWording.fileUploadFailed(offer.name));
      } finally {
        await forget(id);
      }
      return {
        type: 'message',
        attachments: [
          {
            contentType: FILE_INFO_CONTENT_TYPE,
            contentUrl: upload.contentUrl,
            name: upload.name ?? offer.name,
            content: { uniqueId: upload.uniqueId, fileType: upload.fileType },
          },
        ],
      };
    },

    async decline(response) {
      const id = idOf(response);
      const name = id ? offers.get(id)?.name : undefined;
      if (id) await forget(id);
      return note(teamsWording.fileDeclined(name));
    },

    async close() {
      for (const id of [...offers.keys()]) await forget(id);
    },
  };
}

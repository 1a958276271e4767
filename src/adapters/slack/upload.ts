/**
 * Slack's file upload flow on our own calls, so that a file on disk is never read whole into
 * memory: files.getUploadURLExternal (with the length, from stat) → the bytes to the returned URL
 * as the request body (a read stream for a file on disk; Slack takes raw bytes there) →
 * files.completeUploadExternal shares every file at once, with the message's blocks, in a
 * conversation. The upload URL is pre-signed by Slack: no token goes with the bytes.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import type { webApi } from '@slack/bolt';
import { PlatformError } from '../../core/errors.ts';
import type { FileAttachment } from '../../core/reply.ts';
import { fileBody, fileLength } from '../../delivery/files.ts';
import type { SlackMessage } from './render-blocks.ts';
import type { CallKind } from './slack-call.ts';

/** Sending the bytes of one file may take this long before it is abandoned. */
export const UPLOAD_TIMEOUT_MS = 120_000;

/** One file to share: its bytes (in memory or on disk), its title, and an image's alt text. */
export interface SlackUpload {
  readonly file: FileAttachment;
  readonly title: string;
  readonly altText?: string;
}

/** Calls a Web API method under the adapter's retry policy (slack-call.ts). */
export type CallFn = <T>(method: string, kind: CallKind, fn: () => Promise<T>) => Promise<T>;

export interface ShareFilesOptions {
  channelId: string;
  threadTs?: string;
  /** The message the files are shared with. */
  blocks?: SlackMessage['blocks'];
  files: readonly SlackUpload[];
}

export interface SlackUploader {
  /** Uploads the files and shares them in one message; throws PlatformError (with its cause). */
  share(options: ShareFilesOptions): Promise<void>;
  close(): void;
}

export function createSlackUploader(client: webApi.WebClient, call: CallFn, options: { timeoutMs?: number } = {}): SlackUploader {
  const timeoutMs = options.timeoutMs ?? UPLOAD_TIMEOUT_MS;
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 8 });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 8 });

  function send(url: string, body: Readable | Uint8Array, length: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => {
        if (!(body instanceof Uint8Array)) body.destroy();
        reject(error);
      };
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') {
        fail(new PlatformError(`Slack's upload URL has an unsupported scheme: ${target.protocol}`));
        return;
      }
      const req = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: 'POST',
          agent: secure ? httpsAgent : httpAgent,
          headers: { 'content-type': 'application/octet-stream', 'content-length': length },
          timeout: timeoutMs,
        },
        (res: IncomingMessage) => {
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve();
            else fail(new PlatformError(`the file upload was refused (HTTP ${status})`, { retryable: status >= 500 || status === 429 }));
          });
          res.on('error', (error) => fail(new PlatformError('the file upload failed', { cause: error, retryable: true })));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`the file upload did not finish within ${timeoutMs} ms`)));
      req.on('error', (error) => fail(new PlatformError(`the file upload failed: ${error.message}`, { cause: error, retryable: true })));
      if (body instanceof Uint8Array) req.end(body);
      else {
        body.on('error', (error) => req.destroy(error));
        body.pipe(req);
      }
    });
  }

  async function uploadOne(upload: SlackUpload): Promise<string> {
    const length = await fileLength(upload.file);
    const ticket = await call('files.getUploadURLExternal', 'idempotent', () =>
      client.files.getUploadURLExternal({
        filename: upload.file.name,
        length,
        ...(upload.altText ? { alt_text: upload.altText } : {}),
      }),
    );
    if (!ticket.upload_url || !ticket.file_id) throw new PlatformError('files.getUploadURLExternal returned no upload URL');
    await send(ticket.upload_url, fileBody(upload.file), length);
    return ticket.file_id;
  }

  return {
    async share(o) {
      const files: Array<{ id: string; title: string }> = [];
      for (const upload of o.files) files.push({ id: await uploadOne(upload), title: upload.title });
      await call('files.completeUploadExternal', 'post', () =>
        client.files.completeUploadExternal({
          files: files as [{ id: string; title: string }, ...Array<{ id: string; title: string }>],
          channel_id: o.channelId,
          ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
          ...(o.blocks ? { blocks: o.blocks } : {}),
        }),
      );
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

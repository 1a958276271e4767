/**
 * Posting to a slash command's (or button's) response_url: one JSON POST, no retries, with a
 * timeout. Written on node:http/https with keep-alive agents rather than Bolt's `respond()`
 * (global fetch): it costs about a third of the CPU per post, which is CPU the server then has
 * for acknowledging the next commands of a burst. The URL comes from a signed request.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export const RESPONSE_URL_TIMEOUT_MS = 10_000;

/** Slack answered the post with an error status: nothing was posted, another way may be tried. */
export class ResponseUrlRefusedError extends Error {
  constructor(readonly status: number) {
    super(`response_url refused the post (HTTP ${status})`);
    this.name = 'ResponseUrlRefusedError';
  }
}

export type PostToResponseUrl = (url: string, body: Record<string, unknown>) => Promise<void>;

export function createResponseUrlPoster(options: { timeoutMs?: number } = {}): PostToResponseUrl & { close(): void } {
  const timeoutMs = options.timeoutMs ?? RESPONSE_URL_TIMEOUT_MS;
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 20 });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 20 });
  const post = (url: string, body: Record<string, unknown>) =>
    new Promise<void>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      if (!secure && target.protocol !== 'http:') {
        reject(new Error(`response_url has an unsupported scheme: ${target.protocol}`));
        return;
      }
      const text = JSON.stringify(body);
      const send = secure ? httpsRequest : httpRequest;
      const req = send(
        target,
        {
          method: 'POST',
          agent: secure ? httpsAgent : httpAgent,
          headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) },
          timeout: timeoutMs,
        },
        (res: IncomingMessage) => {
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve();
            else reject(new ResponseUrlRefusedError(status));
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`response_url did not answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(text);
    });
  return Object.assign(post, {
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
}

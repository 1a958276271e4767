/**
 * Request bodies on our one server: read with a size limit, and the rest of a body that will not
 * be read (answered early with 413 or 503) discarded before answering, so the client reads the
 * answer rather than a connection reset — a socket closed with unread bytes in it is reset.
 */
import type { IncomingMessage } from 'node:http';

/** Past this, a body being discarded is cut off (the client then sees a reset, not an answer). */
export const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/**
 * Reads the rest of the body and throws it away. Resolves true when the body ended, false when it
 * went past `maxBytes` and the request was destroyed.
 */
export function discardBody(req: IncomingMessage, maxBytes = MAX_DISCARDED_BYTES): Promise<boolean> {
  if (req.complete || req.destroyed) return Promise.resolve(!req.destroyed);
  return new Promise((resolve) => {
    let seen = 0;
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) {
        cleanup();
        req.destroy();
        resolve(false);
      }
    };
    const onEnd = () => {
      cleanup();
      resolve(true);
    };
    const onClose = () => {
      cleanup();
      resolve(req.complete);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.resume();
  });
}

/**
 * The whole body, up to `limit` bytes. Past it, the rest is discarded and BodyTooLargeError
 * thrown once the client has finished sending, so a 413 can be read by the client whether the
 * body came with a Content-Length or chunked.
 */
export async function readBodyWithin(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    await discardBody(req);
    throw new BodyTooLargeError(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    size += (chunk as Buffer).length;
    if (size > limit) break;
    chunks.push(chunk as Buffer);
  }
  // Discarded once the loop has let go of the stream (its iterator reads in paused mode).
  if (size > limit) {
    await discardBody(req);
    throw new BodyTooLargeError(limit);
  }
  return Buffer.concat(chunks);
}

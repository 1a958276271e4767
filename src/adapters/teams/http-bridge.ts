/**
 * Our one `node:http` server speaking to botbuilder: a request body read (with a size limit) and
 * parsed as the activity, and the small response object botbuilder writes its status and body
 * into (the shape it documents as compatible with Node's own http).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
  }
}

/** The request body, refused past `limit` bytes (chunked bodies included). */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** What botbuilder's `process()` writes a response into. */
export interface BridgeResponse {
  socket: unknown;
  status(code: number): BridgeResponse;
  header(name: string, value: unknown): BridgeResponse;
  send(body?: unknown): BridgeResponse;
  end(): BridgeResponse;
}

export function bridgeResponse(res: ServerResponse): BridgeResponse {
  let body: string | undefined;
  const out: BridgeResponse = {
    socket: res.socket,
    status(code) {
      res.statusCode = code;
      return out;
    },
    header(name, value) {
      res.setHeader(name, String(value));
      return out;
    },
    send(value) {
      if (value === undefined || value === null) return out;
      if (typeof value === 'string' || Buffer.isBuffer(value)) body = value.toString();
      else {
        body = JSON.stringify(value);
        if (!res.hasHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8');
      }
      return out;
    },
    end() {
      if (res.writableEnded) return out;
      if (body !== undefined) res.setHeader('content-length', Buffer.byteLength(body));
      res.end(body);
      return out;
    },
  };
  return out;
}

/**
 * Our one `node:http` server speaking to botbuilder: the `/api/messages` route (POST only, a bearer
 * token when the bot has credentials, a size-limited JSON activity) and the small response object
 * botbuilder writes its status and body into (the shape it documents as compatible with Node's
 * own http).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log.ts';
import { BodyTooLargeError, readBodyWithin } from '../../server/body.ts';
import { sendJson, type Route } from '../../server/http.ts';

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

export interface ActivityRouteOptions {
  readonly path: string;
  readonly maxBytes: number;
  /** With credentials: a request without a bearer token cannot be from Teams. */
  readonly requireToken: boolean;
  readonly logger: Logger;
  /** Hands the parsed activity to botbuilder, which checks the token and runs the turn. */
  process(activity: Record<string, unknown>, req: IncomingMessage, res: BridgeResponse): Promise<void>;
}

export function activityRoute(options: ActivityRouteOptions): Route {
  return {
    path: options.path,
    async handler(req, res) {
      if (req.method !== 'POST') {
        sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'POST activities here' } }, { allow: 'POST' });
        return;
      }
      // Refused here, before botbuilder (which would also refuse it, and print a stack trace for each one).
      if (options.requireToken && !/^Bearer \S+$/i.test(String(req.headers.authorization ?? ''))) {
        options.logger.warn({ reason: 'no bearer token' }, 'teams.request.unauthorized');
        sendJson(res, 401, { error: { code: 'unauthorized', message: 'A Bot Framework token is required' } });
        return;
      }
      let activity: Record<string, unknown>;
      try {
        activity = JSON.parse((await readBodyWithin(req, options.maxBytes)).toString('utf8')) as Record<string, unknown>;
      } catch (error) {
        const tooLarge = error instanceof BodyTooLargeError;
        sendJson(res, tooLarge ? 413 : 400, { error: { code: tooLarge ? 'too_large' : 'bad_request', message: tooLarge ? 'Activity too large' : 'Not a JSON activity' } });
        return;
      }
      await options.process(activity, req, bridgeResponse(res));
    },
  };
}

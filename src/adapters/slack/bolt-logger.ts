/**
 * Bolt, the Web API client and the Socket Mode client log through our pino logger (to stderr;
 * Bolt's console logger would write to stdout). Their debug output is dropped: at debug level they
 * print request bodies, and an answer's text or a users.info reply may carry names and emails.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../log.ts';

function text(parts: unknown[]): string {
  return parts.map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
}

export function boltLogger(logger: Logger, name = 'bolt'): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  let source = name;
  return {
    debug: () => {},
    info: (...parts: unknown[]) => logger.info({ source }, text(parts)),
    warn: (...parts: unknown[]) => logger.warn({ source }, text(parts)),
    error: (...parts: unknown[]) => logger.error({ source }, text(parts)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: (n: string) => {
      source = n;
    },
  };
}

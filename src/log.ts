/**
 * Structured JSON logs on stderr (stdout belongs to command output). Event names are dotted
 * (`import.completed`); secrets, tokens and emails are redacted by path.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

const REDACT = [
  '*.token',
  '*.secret',
  '*.password',
  '*.email',
  '*.authorization',
  'token',
  'secret',
  'password',
  'email',
  'authorization',
];

/** `destination` is stderr unless a test captures what would be written there. */
export function createLogger(level = 'info', destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino({ level, base: undefined, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
}

/** pino's number of a level name (`info` → 30; `silent` → Infinity). */
export function levelNumber(name: string): number {
  return name === 'silent' ? Infinity : (pino.levels.values[name] ?? pino.levels.values.info ?? 30);
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

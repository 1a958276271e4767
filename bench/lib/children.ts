/** Child processes the benchmark times as a user meets them: `wsa …`, `psql`, other bench scripts. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const WSA_BIN = fileURLToPath(new URL('../../bin/wsa.mjs', import.meta.url));

export interface ChildResult {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; wall time from spawn to exit. Rejects on a non-zero exit. */
export function runChild(command: string, args: string[], env: NodeJS.ProcessEnv = process.env, allowFailure = false): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { ms: performance.now() - started, code, stdout, stderr };
      if (code !== 0 && !allowFailure) {
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}${stdout.slice(-1000)}`));
      } else resolve(result);
    });
  });
}

/** The environment of a `wsa` child using one store: PostgreSQL in a schema, or PGlite in a dir. */
export function wsaEnv(store: { databaseUrl: string } | { dataDir: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', WSA_NOW: '2025-11-23T12:00:00Z' };
  delete env.DATABASE_URL;
  delete env.WSA_DATA_DIR;
  if ('databaseUrl' in store) env.DATABASE_URL = store.databaseUrl;
  else env.WSA_DATA_DIR = store.dataDir;
  return env;
}

export function runWsa(args: string[], env: NodeJS.ProcessEnv): Promise<ChildResult> {
  return runChild(process.execPath, [WSA_BIN, ...args], env);
}

/** Runs the real `wsa` CLI as a child process (bin/wsa.mjs), as a user would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const WSA_BIN = fileURLToPath(new URL('../../bin/wsa.mjs', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runWsa(args: string[], env: Record<string, string>, stdin?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WSA_BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** Starts `wsa serve` and resolves with its URL once /healthz answers 200. */
export async function startServer(
  env: Record<string, string>,
  timeoutMs = 90_000,
): Promise<{
  child: ChildProcess;
  url: string;
  log: () => string;
  /** Whether /healthz ever answered 503 (still starting) while we waited. */
  sawStarting: () => boolean;
  stop: () => Promise<void>;
}> {
  const child = spawn(process.execPath, [WSA_BIN, 'serve'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  let starting = false;
  let healthy = false;
  while (Date.now() < deadline) {
    const m = /"url":"(http:\/\/[^"]+)"/.exec(log);
    if (m) url = m[1];
    if (url) {
      const res = await fetch(`${url}/healthz`).catch(() => undefined);
      if (res?.status === 503) starting = true;
      if (res?.status === 200) {
        healthy = true;
        break;
      }
    }
    if (child.exitCode !== null) throw new Error(`server exited: ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!url || !healthy) {
    child.kill('SIGKILL');
    throw new Error(`server did not become healthy: ${log}`);
  }
  return {
    child,
    url,
    log: () => log,
    sawStarting: () => starting,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The human form of the log (LOG_FORMAT=pretty, and the default on a terminal): pino still makes
 * every record — so the same paths are redacted, and nothing typed is in a record to begin with —
 * and this destination turns each finished JSON line into a line a person reads, or into a step
 * of a progress bar (cli-progress) while files load, on a terminal only.
 *
 * Progress is told by the records themselves: `demo.generated` or `import.started` give the number
 * of files, each `import.completed` / `ingest.completed` is one of them done, `demo.loaded` ends it.
 */
import { Writable } from 'node:stream';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';

type LogRecord = Record<string, unknown> & { level: number; time?: number; msg?: string };

const LEVELS: Readonly<Record<number, string>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const WARN = 40;
/** Fields every record has, not worth a word in a line. */
const HOUSEKEEPING = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

export interface HumanConsoleOptions {
  /** Records below this level drive the progress bar but print no line (the CLI: its stdout says it). */
  lineLevel?: number;
  /** A progress bar while files load; only ever drawn on a terminal. Default: whether `out` is one. */
  progress?: boolean;
}

/** A pino destination writing the human form to `out` (stderr). */
export interface HumanConsole {
  write(line: string): void;
  /** Ends a bar still drawn (the process is stopping). */
  close(): void;
  /**
   * `stdout` for a command whose output shares the terminal with the bar: a line written while the
   * bar is drawn goes above it instead of through it.
   */
  above(stdout: Writable): Writable;
}

/** The bar of one file's events: phase, count, time left. */
const FILE_FORMAT = '  {bar} {percentage}% · {file}';

const count = (n: unknown) => (typeof n === 'number' ? n.toLocaleString('en-US') : String(n));
const seconds = (ms: unknown) => (typeof ms === 'number' ? `${(ms / 1000).toFixed(1)} s` : '?');

/** A value in a `key=value` pair: plain when it is one word, quoted otherwise; objects flattened. */
function pairs(record: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (!prefix && HOUSEKEEPING.has(key)) continue;
    if (key === 'err' && value && typeof value === 'object') continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out.push(...pairs(value as Record<string, unknown>, `${prefix}${key}.`));
      continue;
    }
    const text = Array.isArray(value) ? value.join(',') : String(value);
    out.push(`${prefix}${key}=${/^[^\s"=]*$/.test(text) && text !== '' ? text : JSON.stringify(text)}`);
  }
  return out;
}

function errorOf(record: LogRecord): string | undefined {
  const err = record.err as { type?: string; message?: string } | undefined;
  return err?.message ? `${err.type && err.type !== 'Error' ? `${err.type}: ` : ''}${err.message}` : undefined;
}

/** The ready message of a server: where it is, where its data is, what to try. */
function readyLines(r: LogRecord): string[] {
  const lines = [`wsa is ready${r.localMode ? ' in local mode' : ''} at ${String(r.url)}`];
  if (r.localMode) lines.push(`  Try it in the browser:   ${String(r.url)}/`);
  if (typeof r.dataDir === 'string') lines.push(`  Data directory:          ${r.dataDir}`);
  const tryCommands = Array.isArray(r.tryCommands) ? (r.tryCommands as string[]) : [];
  tryCommands.forEach((c, i) => lines.push(`  ${i === 0 ? 'In another terminal:     ' : ' '.repeat(25)}${c}`));
  lines.push('  Stop it with Ctrl-C.');
  return lines;
}

/** The line (or lines) for a record; undefined when the record is progress only. */
function describe(r: LogRecord): string[] | undefined {
  switch (r.msg) {
    case 'server.starting':
      return [r.store === 'pglite' ? `Opening the embedded store in ${String(r.dataDir)}…` : 'Connecting to PostgreSQL…'];
    case 'server.listening':
      return [`Listening on ${String(r.url)} (${r.store === 'pglite' ? 'embedded store' : 'PostgreSQL'})`];
    case 'server.ready':
      return readyLines(r);
    case 'server.stopping':
      return [`Stopping (${String(r.signal)})…`];
    case 'demo.loading':
      return [`The store is empty: loading the demo workspace (${count(r.users)} accounts) into ${String(r.dataDir)}…`];
    case 'demo.generated':
      return [`Generated ${count(r.files)} demo files (${count(r.users)} accounts, ${count(r.weeks)} weeks) in ${seconds(r.ms)}; loading them…`];
    case 'demo.loaded':
      return [
        `Demo workspace loaded: ${count(r.users)} accounts, ${count(r.weeks)} weeks, ${count(r.events)} events from ${count(r.files)} files in ${seconds(r.loadMs)}.`,
      ];
    case 'import.started':
      return undefined;
    case 'import.completed':
      return [`Imported ${String(r.file)}: ${count(r.rows)} rows (${String(r.kind)}) in ${count(r.ms)} ms`];
    case 'ingest.completed':
      return [`Ingested ${String(r.source ?? 'events')}: ${count(r.accepted)} of ${count(r.rows)} events`];
    default: {
      const error = errorOf(r);
      return [[r.msg ?? '', ...pairs(r)].join(' ') + (error ? ` — ${error}` : '')];
    }
  }
}

function clock(time: number | undefined): string {
  const d = time === undefined ? new Date() : new Date(time);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

export function humanConsole(out: Writable & { isTTY?: boolean }, options: HumanConsoleOptions = {}): HumanConsole {
  const lineLevel = options.lineLevel ?? 0;
  const drawBar = (options.progress ?? true) && out.isTTY === true;
  let bars: MultiBar | undefined;
  let bar: SingleBar | undefined;
  /** The events of one large file, below the files: what it is doing and how far. */
  let inFile: SingleBar | undefined;
  /** Files loading (drawn as a bar on a terminal; elsewhere a line at each quarter). */
  let loading: { total: number; done: number } | undefined;

  const newBars = () =>
    new MultiBar({ stream: out, barsize: 30, hideCursor: true, clearOnComplete: true, autopadding: true }, Presets.shades_classic);
  const print = (text: string) => {
    if (bars) bars.log(`${text}\n`);
    else out.write(`${text}\n`);
  };
  const startBar = (total: number, label: string, first = '') => {
    if (!(total > 1)) return;
    loading = { total, done: 0 };
    if (!drawBar) return;
    bars ??= newBars();
    bar = bars.create(total, 0, { file: first }, { format: `  {bar} {value}/{total} ${label} · {file}` });
  };
  const stopBar = () => {
    bars?.stop();
    bars = undefined;
    bar = undefined;
    inFile = undefined;
    loading = undefined;
  };
  /** `ingest.progress`: a bar of the file's events (with one of files when several load). */
  const fileProgress = (record: LogRecord) => {
    if (!drawBar) return;
    const total = Number(record.total);
    const done = Number(record.done);
    const payload = {
      file:
        `${String(record.source ?? 'events')}: ${String(record.phase)} · ` +
        (total > 0 ? `${count(done)} of ${count(total)} events` : `${count(done)} events so far`),
    };
    bars ??= newBars();
    if (!inFile) inFile = bars.create(Math.max(total, 1), total > 0 ? done : 0, payload, { format: FILE_FORMAT });
    else {
      inFile.setTotal(Math.max(total, 1));
      inFile.update(total > 0 ? done : 0, payload);
    }
  };
  const fileDone = () => {
    if (!inFile || !bars) return;
    bars.remove(inFile);
    inFile = undefined;
    if (!bar) stopBar();
  };
  /** One more file of those loading loaded. */
  const step = (record: LogRecord) => {
    if (!loading) return;
    loading.done += 1;
    const quarter = (n: number) => Math.floor((4 * n) / (loading?.total ?? 1));
    if (bar) bar.increment(1, { file: String(record.file ?? record.source ?? '') });
    else if (quarter(loading.done) > quarter(loading.done - 1) && loading.done < loading.total) {
      print(`${clock(record.time)}  … ${loading.done} of ${loading.total} files loaded`);
    }
    if (loading.done >= loading.total) stopBar();
  };

  return {
    write(line: string) {
      let record: LogRecord;
      try {
        record = JSON.parse(line) as LogRecord;
      } catch {
        print(line.trimEnd());
        return;
      }
      if (record.msg === 'ingest.progress') {
        fileProgress(record);
        return;
      }
      if (record.msg === 'ingest.completed' || record.msg === 'ingest.rejected') fileDone();
      const done = record.msg === 'import.completed' || record.msg === 'ingest.completed';
      if (done && loading && record.level < WARN) {
        step(record);
        return;
      }
      if (record.msg === 'demo.loaded') stopBar();
      const lines = describe(record);
      if (lines && record.level >= lineLevel) {
        const level = record.level >= WARN ? `${LEVELS[record.level] ?? 'log'}: ` : '';
        const [first, ...rest] = lines;
        print(`${clock(record.time)}  ${level}${first}`);
        for (const more of rest) print(`${' '.repeat(10)}${more}`);
      }
      if (record.msg === 'demo.generated') startBar(Number(record.files), 'demo files');
      if (record.msg === 'import.started') startBar(Number(record.files), 'files', 'opening the store…');
    },
    close: stopBar,
    above(stdout) {
      return new PassThroughAbove(stdout, (text) => {
        if (!bars) return false;
        bars.log(text);
        return true;
      });
    },
  };
}

/** Writes to `target`, but for what `aside` takes (text to show above a bar). */
class PassThroughAbove extends Writable {
  constructor(
    private readonly target: Writable,
    private readonly aside: (text: string) => boolean,
  ) {
    super();
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const text = String(chunk);
    if (this.aside(text)) done();
    else this.target.write(chunk, done);
  }
}

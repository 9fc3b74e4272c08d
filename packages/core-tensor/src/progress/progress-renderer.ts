import type { ProgressEvent } from './progress-event';

/** How progress is shown: a redrawn bar, plain lines, nothing, or auto (bar on a TTY outside CI, else lines). */
export type ProgressMode = 'auto' | 'bar' | 'log' | 'off';

/** Options of {@link createProgressRenderer}. */
export interface ProgressRendererOptions {
  /** Default `'auto'`. */
  mode?: ProgressMode;
  /** In log mode, at most one line per stage every this many ms (first and last always). Default 10 000. */
  intervalMs?: number;
  /** Where to write. Default `process.stderr`; where there is no `process` (a browser), `console.log`, one call per line. */
  stream?: ProgressStream;
  /** Clock in ms, for tests. Default `Date.now`. */
  now?: () => number;
}

/** What the renderer writes to: `process.stderr` or anything with its `write` (and `isTTY`). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Draws {@link ProgressEvent}s and one-off lines. */
export interface ProgressRenderer {
  update(event: ProgressEvent): void;
  /** A finished message (epoch summary, evaluation) on its own line. */
  log(message: string): void;
}

/**
 * The one progress renderer: on a TTY a single line redrawn with `\r`
 * (`[train epoch 1/3] [#####·····] 120/469 (25%)  loss 0.532  acc 0.812  ETA 0:41`),
 * otherwise plain lines at most every `intervalMs` per stage (and the first
 * and last of each stage), so CI logs stay short. The ETA comes from the
 * stage's elapsed time and fraction done.
 *
 * @example
 * const progress = createProgressRenderer();
 * progress.update({ stage: 'read', done: 3, total: 10, file: 'train-images-idx3-ubyte.gz' });
 */
export function createProgressRenderer(options: ProgressRendererOptions = {}): ProgressRenderer {
  const stream = options.stream ?? defaultStream();
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 10_000;
  const requested = options.mode ?? 'auto';
  const mode =
    requested === 'auto' ? (stream.isTTY && process.env.CI !== 'true' ? 'bar' : 'log') : requested;
  const started = new Map<string, number>();
  const lastLine = new Map<string, number>();
  let barOpen = false;
  return {
    update(event) {
      if (mode === 'off') return;
      const t = now();
      if (!started.has(event.stage)) started.set(event.stage, t);
      const line = formatEvent(event, (t - started.get(event.stage)!) / 1000, mode === 'bar');
      const finished = event.total !== undefined && event.done >= event.total;
      if (mode === 'bar') {
        stream.write(`\r\x1b[2K${line}`);
        barOpen = !finished;
        if (finished) stream.write('\n');
        return;
      }
      const last = lastLine.get(event.stage);
      if (last === undefined || finished || t - last >= intervalMs) {
        lastLine.set(event.stage, t);
        stream.write(`${line}\n`);
      }
    },
    log(message) {
      if (mode === 'off') return;
      if (barOpen) stream.write('\n');
      barOpen = false;
      stream.write(`${message}\n`);
    },
  };
}

/** One event as text; `bar` adds a 20-cell bar when the total is known. */
export function formatEvent(event: ProgressEvent, elapsedSeconds: number, bar = false): string {
  const { stage, done, total, details = {}, file } = event;
  const known = total !== undefined && total > 0;
  const cells = 20;
  const filled = known ? Math.min(cells, Math.round((cells * done) / total)) : 0;
  const drawn = bar && known ? ` [${'#'.repeat(filled)}${'·'.repeat(cells - filled)}]` : '';
  const count = known ? `${done}/${total} (${Math.floor((100 * done) / total)}%)` : `${done}`;
  const facts = Object.entries(details)
    .map(
      ([k, v]) =>
        `${k} ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toPrecision(4)) : v}`,
    )
    .join('  ');
  const eta = known && done > 0 ? (elapsedSeconds / done) * (total - done) : Number.NaN;
  return [`[${stage}]${drawn} ${count}`, facts, file ?? '', known ? `ETA ${formatEta(eta)}` : '']
    .filter((part) => part.length > 0)
    .join('  ');
}

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : `${m}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * `process.stderr` in Node. A browser has no `process` (and no TTY, so the
 * renderer writes whole lines): each line goes to `console.log`, newline cut.
 */
function defaultStream(): ProgressStream {
  const host = (globalThis as { process?: { stderr?: ProgressStream } }).process;
  if (host?.stderr) return host.stderr;
  return {
    write(text) {
      const line = text.replace(/\n$/, '');
      if (line !== '') console.log(line);
    },
  };
}

/** A unit of long work shown to the user: what it is, how far along, how fast. */
export interface ProgressUpdate {
  /** e.g. "train 2/4 AT+FMS" or "evaluate 3/4 AT". */
  stage: string;
  done: number;
  total: number;
  /** Short `key value` facts (loss, accuracy, images/s). */
  details?: Record<string, string | number>;
}

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : `${m}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Shows progress of long stages: a single rewritten line on a terminal, plain
 * log lines (at most one every `intervalMs`) otherwise, so CI logs stay short.
 */
export class ProgressReporter {
  private stageStart = new Map<string, number>();
  private lastPlain = 0;
  private readonly tty: boolean;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 10_000,
  ) {
    this.tty = Boolean(stream.isTTY) && process.env.CI !== 'true';
  }

  /** Reports one update; the ETA comes from the stage's elapsed time and fraction done. */
  update({ stage, done, total, details = {} }: ProgressUpdate): void {
    const now = Date.now();
    if (!this.stageStart.has(stage)) this.stageStart.set(stage, now);
    const elapsed = (now - this.stageStart.get(stage)!) / 1000;
    const eta = done > 0 ? (elapsed / done) * (total - done) : Number.NaN;
    const facts = Object.entries(details)
      .map(
        ([k, v]) => `${k} ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(3)) : v}`,
      )
      .join('  ');
    const pct = total > 0 ? Math.floor((100 * done) / total) : 0;
    const line = `[${stage}] ${done}/${total} (${pct}%)  ${facts}  ETA ${formatEta(eta)}`;
    if (this.tty) {
      this.stream.write(`\r\x1b[K${line}`);
      if (done >= total) this.stream.write('\n');
    } else if (done >= total || now - this.lastPlain >= this.intervalMs || done === 0) {
      this.lastPlain = now;
      this.stream.write(`${line}\n`);
    }
  }

  /** A one-off message on its own line. */
  log(message: string): void {
    if (this.tty) this.stream.write('\r\x1b[K');
    this.stream.write(`${message}\n`);
  }
}

/** How progress is shown: a redrawn bar, plain log lines, nothing, or auto (bar on a TTY, else lines). */
export type ProgressMode = 'auto' | 'bar' | 'log' | 'off';

/** One step's numbers as the reporter shows them. */
export interface ProgressUpdate {
  epoch: number;
  epochs: number;
  /** Batch (1-based) within the epoch and the epoch's batch count, when known. */
  batch: number;
  batchesPerEpoch: number | undefined;
  step: number;
  /** Running means over the epoch so far. */
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
  learningRate: number;
}

/** Shows training progress on a stream (stderr by default). */
export interface ProgressReporter {
  step(update: ProgressUpdate): void;
  /** A finished line (epoch summary, evaluation), printed on its own line. */
  line(text: string): void;
}

/** Options of {@link createProgressReporter}. */
export interface ProgressOptions {
  mode?: ProgressMode;
  /** In log mode, print every this many steps. Default 50. */
  logEvery?: number;
  /** Where to write. Default `process.stderr`. */
  stream?: { write(text: string): unknown; isTTY?: boolean; columns?: number };
}

/**
 * A progress display: on a TTY a single line redrawn with `\r`
 * (`epoch 1/3 [#####·····] 120/469 loss 0.532 acc 81.2% 312 img/s`), otherwise
 * plain lines every `logEvery` steps, so CI logs stay readable.
 */
export function createProgressReporter(options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const requested = options.mode ?? 'auto';
  const mode = requested === 'auto' ? (stream.isTTY ? 'bar' : 'log') : requested;
  const logEvery = options.logEvery ?? 50;
  let barOpen = false;
  return {
    step(u) {
      if (mode === 'off') return;
      const stats = `loss ${u.loss.toFixed(4)} acc ${(100 * u.accuracy).toFixed(1)}% ${u.imagesPerSecond.toFixed(0)} img/s lr ${u.learningRate.toPrecision(3)}`;
      const of = u.batchesPerEpoch ? `/${u.batchesPerEpoch}` : '';
      if (mode === 'bar') {
        const width = 20;
        const filled = u.batchesPerEpoch ? Math.round((width * u.batch) / u.batchesPerEpoch) : 0;
        const bar = u.batchesPerEpoch
          ? ` [${'#'.repeat(filled)}${'·'.repeat(width - filled)}]`
          : '';
        stream.write(`\r\x1b[2Kepoch ${u.epoch + 1}/${u.epochs}${bar} ${u.batch}${of} ${stats}`);
        barOpen = true;
      } else if (u.step % logEvery === 0) {
        stream.write(
          `[train] epoch ${u.epoch + 1}/${u.epochs} batch ${u.batch}${of} step ${u.step} ${stats}\n`,
        );
      }
    },
    line(text) {
      if (mode === 'off') return;
      if (barOpen) stream.write('\n');
      barOpen = false;
      stream.write(`[train] ${text}\n`);
    },
  };
}

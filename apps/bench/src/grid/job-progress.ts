import type { Job } from 'bullmq';
import { ProgressReporter, type ProgressUpdate } from '../progress/progress-reporter';
import { GridError } from './grid-error';

/**
 * A worker's progress reporter: prints like a local run and also publishes
 * the latest update as the job's progress (at most one every `intervalMs`,
 * and always the last of a stage), which `bench status --queue` and the
 * coordinator read back. When `signal` aborts (the worker lost the job's
 * lock), the next update throws a {@link GridError}, which stops training or
 * evaluation between two steps: the job now belongs to another worker.
 */
export class JobProgressReporter extends ProgressReporter {
  private lastSent = 0;

  constructor(
    private readonly job: Job,
    private readonly signal?: AbortSignal,
    private readonly publishMs = 1000,
  ) {
    super(process.stderr);
  }

  override update(update: ProgressUpdate): void {
    if (this.signal?.aborted)
      throw new GridError(
        `job ${this.job.id} stopped at ${update.stage} ${update.done}/${update.total}: ${String(this.signal.reason ?? 'cancelled')}; another worker continues it from the last checkpoint`,
      );
    super.update(update);
    const now = Date.now();
    if (update.done < update.total && now - this.lastSent < this.publishMs) return;
    this.lastSent = now;
    // Progress is advisory: a Redis hiccup must not fail the training it describes.
    this.job.updateProgress({ ...update, at: now }).catch(() => {});
  }
}

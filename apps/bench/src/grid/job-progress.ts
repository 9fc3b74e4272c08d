import {
  createProgressRenderer,
  type ProgressEvent,
  type ProgressRenderer,
} from '@trustgrad/core-tensor';
import type { Job } from 'bullmq';
import { GridError } from './grid-error';

/**
 * A worker's progress renderer: draws like a local run and also publishes
 * the latest event as the job's progress (at most one every `publishMs`, and
 * always the last of a stage), which `bench status --queue` reads back. When
 * `signal` aborts (the worker lost the job's lock), the next update throws a
 * {@link GridError}, which stops training or evaluation between two steps:
 * the job now belongs to another worker.
 */
export function jobProgressRenderer(
  job: Job,
  signal?: AbortSignal,
  publishMs = 1000,
): ProgressRenderer {
  const local = createProgressRenderer();
  let lastSent = 0;
  return {
    update(event: ProgressEvent) {
      if (signal?.aborted)
        throw new GridError(
          `job ${job.id} stopped at ${event.stage} ${event.done}/${event.total ?? '?'}: ${String(signal.reason ?? 'cancelled')}; another worker continues it from the last checkpoint`,
        );
      local.update(event);
      const now = Date.now();
      const last = event.total !== undefined && event.done >= event.total;
      if (!last && now - lastSent < publishMs) return;
      lastSent = now;
      // Progress is advisory: a Redis hiccup must not fail the training it describes.
      job.updateProgress({ ...event, at: now }).catch(() => {});
    },
    log: (message: string) => local.log(message),
  };
}

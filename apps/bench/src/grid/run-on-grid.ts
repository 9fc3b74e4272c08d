import { resolve } from 'node:path';
import { createProgressRenderer, type ProgressRenderer } from '@trustgrad/core-tensor';
import { FlowProducer, Queue } from 'bullmq';
import type { ExperimentConfig } from '../config/schema';
import type { Results } from '../results/results-types';
import { prepareExperiment } from '../run/prepare-experiment';
import type { VariantOutcome } from '../run/variant-steps';
import { writeExperiment } from '../run/write-experiment';
import { storeFor } from './artefact-store';
import { GridError } from './grid-error';
import { type GridCell, gridFlows } from './grid-jobs';
import { LOCK_CHECK_MS } from './grid-worker';
import { connectionFor, GRID_QUEUE } from './redis-connection';

/** Options of {@link runOnGrid}. */
export interface GridRunOptions {
  /** `redis://host:port` of the grid. */
  queue: string;
  /** The results folder: the shared store every worker reaches at this same path. */
  out: string;
  /** `s3://bucket/prefix?endpoint=…`: an S3-compatible artefact store instead of the shared `out` folder. */
  store?: string;
  /** Queue failed cells again, and let training continue from the store's checkpoints. */
  resume?: boolean;
  progress?: ProgressRenderer;
  /** How often the coordinator looks at the jobs (ms). Default 1000. */
  pollMs?: number;
  /** How long Redis may stay unreachable before the run stops with a GridError (ms). Default 120 000. */
  redisTimeoutMs?: number;
}

/** Twice a worker's lock check ({@link LOCK_CHECK_MS}): the wait before a job lost from Redis is queued again. */
export const REQUEUE_GRACE_MS = 2 * LOCK_CHECK_MS;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * `bench run --queue`: the experiment as jobs on a BullMQ grid. Checks the
 * config and writes `config.json` and the input images like a local run,
 * queues one train job and one dependent evaluate job per (seed, variant)
 * cell ({@link gridFlows}; ids derived from the settings, so a second
 * coordinator of the same grid queues nothing new and waits on the same
 * jobs), waits while `bench worker` processes run them, then writes the
 * results folder from the cells' outcomes with the local run's own
 * {@link writeExperiment}: the same config and seeds give the same
 * `results.json` and heatmaps as `bench run` without `--queue`.
 *
 * Jobs that vanish from Redis (restarted without persistence) are queued
 * again and resume from the store's checkpoints; Redis unreachable for
 * `redisTimeoutMs` stops the run with a {@link GridError} naming `--resume`.
 */
export async function runOnGrid(
  config: ExperimentConfig,
  options: GridRunOptions,
): Promise<Results> {
  const progress = options.progress ?? createProgressRenderer();
  const out = resolve(options.out);
  const started = Date.now();
  const pollMs = options.pollMs ?? 1000;
  const redisTimeoutMs = options.redisTimeoutMs ?? 120_000;
  // The coordinator trains nothing; it checks the config against the data and writes the input images.
  const prepared = await prepareExperiment(config, out, progress, { writeInputs: true });
  prepared.dispose();
  const cells = gridFlows(config, out, options.resume ?? false, options.store);
  // Fail fast while Redis is away, so the wait loop can tell "down" from "slow" and time out with a clear message.
  const connection = { ...connectionFor(options.queue), enableOfflineQueue: false };
  const queue = new Queue(GRID_QUEUE, { connection });
  const flows = new FlowProducer({ connection });
  let lastRedisError = '';
  const noteError = (error: Error) => {
    lastRedisError = error.message;
  };
  queue.on('error', noteError);
  flows.on('error', noteError);
  const store = await storeFor({ out, ...(options.store ? { store: options.store } : {}) });
  try {
    await within(
      Promise.all([queue.waitUntilReady(), flows.waitUntilReady()]),
      redisTimeoutMs,
      () => `cannot reach Redis at ${options.queue} (${lastRedisError || 'no answer'})`,
    );
    if (options.resume) await requeueFailed(queue, cells, progress);
    await flows.addBulk(cells.map((cell) => cell.flow));
    progress.log(
      `[grid] ${cells.length} cells (train + evaluate) queued on ${options.queue}; waiting for \`bench worker --queue ${options.queue}\``,
    );
    const pending = new Set(cells);
    let downSince: number | null = null;
    while (pending.size > 0) {
      try {
        for (const cell of [...pending]) {
          const state = await queue.getJobState(cell.evaluateId);
          if (state === 'completed') {
            if (!(await store.readOutcome(cell.evaluateId)))
              throw new GridError(
                options.store
                  ? `job ${cell.evaluateId} completed on a worker but grid/${cell.evaluateId}.json is not in ${options.store}`
                  : `job ${cell.evaluateId} completed on a worker but ${out}/grid/${cell.evaluateId}.json is missing: ` +
                      `every worker must see the results folder at the same path (${out}), e.g. on a shared mount`,
              );
            pending.delete(cell);
          } else if (state === 'failed') {
            throw new GridError(await failureOf(queue, cell));
          } else if (state === 'unknown') {
            progress.log(
              `[grid] ${cell.flow.data.stage}: job gone from Redis (restarted without persistence?); queued again, resuming from the store's checkpoints`,
            );
            await flows.add(resumed(cell, REQUEUE_GRACE_MS));
          }
        }
        if (downSince !== null) progress.log('[grid] Redis is back');
        downSince = null;
        const counts = await queue.getJobCounts('active', 'waiting', 'waiting-children');
        progress.update({
          stage: 'grid',
          done: cells.length - pending.size,
          total: cells.length,
          details: { active: counts.active, waiting: counts.waiting + counts['waiting-children'] },
        });
      } catch (error) {
        if (error instanceof GridError) throw error;
        if (downSince === null) {
          downSince = Date.now();
          progress.log(`[grid] Redis unreachable (${(error as Error).message}); waiting for it`);
        } else if (Date.now() - downSince > redisTimeoutMs) {
          throw new GridError(
            `Redis at ${options.queue} unreachable for ${Math.round(redisTimeoutMs / 1000)} s (${(error as Error).message}). ` +
              `Finished work is kept in ${out}; when Redis is back, run the same command with --resume`,
          );
        }
      }
      if (pending.size > 0) await sleep(pollMs);
    }
  } finally {
    await Promise.allSettled([queue.close(), flows.close()]);
  }
  const seeds = config.seeds ?? [config.seed];
  const backends = new Set<string>();
  const outcomes: VariantOutcome[][] = [];
  for (const seed of seeds) {
    const row: VariantOutcome[] = [];
    for (const cell of cells.filter((c) => c.seed === seed)) {
      const stored = (await store.readOutcome(cell.evaluateId))!;
      backends.add(stored.backend);
      row.push(stored.outcome);
    }
    outcomes.push(row);
  }
  await store.pullHeatmaps(
    cells.map((cell) => cell.key),
    out,
  );
  return writeExperiment(config, out, {
    // Workers on different backends are named together; one backend reads as a local run's.
    backendName: [...backends].sort().join('+'),
    evaluatedImages: prepared.evaluatedImages,
    heatmapIndex: prepared.heatmapIndex,
    outcomes,
    totalSeconds: (Date.now() - started) / 1000,
  });
}

/**
 * The cell's flow, training resuming from the store's last checkpoint, its
 * training delayed by `delayMs`: a worker still running the lost job notices
 * its lock is gone within LOCK_CHECK_MS and stops, so two workers never write
 * one checkpoint folder.
 */
function resumed(cell: GridCell, delayMs: number): GridCell['flow'] {
  const withResume = (job: GridCell['flow'], delay: boolean): GridCell['flow'] => ({
    ...job,
    data: { ...job.data, resume: true },
    opts: { ...job.opts, ...(delay ? { delay: delayMs } : {}) },
    ...(job.children ? { children: job.children.map((child) => withResume(child, true)) } : {}),
  });
  return withResume(cell.flow, false);
}

/** `--resume`: failed cells (and their failed training) leave the queue, to be queued again. */
async function requeueFailed(queue: Queue, cells: GridCell[], progress: ProgressRenderer) {
  for (const cell of cells) {
    if ((await queue.getJobState(cell.evaluateId)) !== 'failed') continue;
    progress.log(`[grid] ${cell.flow.data.stage}: failed before; queued again`);
    await queue.remove(cell.evaluateId, { removeChildren: true });
    await queue.remove(cell.trainId);
  }
}

/** The failure of a cell: its training's reason when that is what failed. */
async function failureOf(queue: Queue, cell: GridCell): Promise<string> {
  const train = await queue.getJob(cell.trainId);
  const evaluate = await queue.getJob(cell.evaluateId);
  const failed = train?.failedReason ? train : evaluate;
  return (
    `${failed?.data.stage ?? cell.flow.data.stage} failed on worker ${failed?.processedBy ?? '?'}: ` +
    `${failed?.failedReason ?? 'no reason recorded'}. Fix the cause and run the same command with --resume ` +
    `(failed cells are queued again; finished ones are kept)`
  );
}

async function within<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new GridError(message())), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

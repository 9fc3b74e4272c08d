import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { createProgressRenderer } from '@trustgrad/core-tensor';
import { type Job, Worker } from 'bullmq';
import { type PreparedExperiment, prepareExperiment } from '../run/prepare-experiment';
import { evaluateStep, trainStep, variantCell } from '../run/variant-steps';
import { storeFor } from './artefact-store';
import type { GridJobData, GridJobResult } from './grid-jobs';
import { jobProgressRenderer } from './job-progress';
import { connectionFor, GRID_QUEUE } from './redis-connection';
import { scratchRoot } from './s3-store';

/**
 * A worker renews its jobs' locks at least this often (ms), so one that lost
 * a lock stops within about this long; the coordinator waits longer than
 * this before it queues a lost job again ({@link REQUEUE_GRACE_MS}).
 */
export const LOCK_CHECK_MS = 5000;

/** Options of {@link startGridWorker}. */
export interface GridWorkerOptions {
  /** `redis://host:port`. */
  queue: string;
  /**
   * How long a job's lock lives without renewal (ms). The worker renews it every
   * half of this while its event loop runs; a worker killed mid-job stops
   * renewing, and after this long another worker's stalled check takes the job
   * over. Longer than the longest synchronous stretch of a job (training yields
   * between steps; a big metric may not). Default 300 000 (5 min).
   */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs (ms). Default 30 000. */
  stalledIntervalMs?: number;
  /** How often a training job's new checkpoints go to a store that is not the shared folder (ms). Default 2000. */
  pushEveryMs?: number;
  log?: (line: string) => void;
}

/**
 * A grid worker: takes `train` and `evaluate` jobs from the grid's queue and
 * runs them with the local run's own {@link trainStep} and
 * {@link evaluateStep}, writing checkpoints, models, heatmaps and measurements
 * into the shared results folder named by the job. One job at a time (one
 * tfjs backend per process). A job taken over from a killed worker, or queued
 * again, resumes from the last checkpoint in the store. Resolves with the
 * BullMQ worker; `close()` it to stop after the current job.
 */
export async function startGridWorker(options: GridWorkerOptions): Promise<Worker> {
  const log = options.log ?? ((line: string) => console.error(line));
  let cached: { id: string; prepared: PreparedExperiment } | null = null;
  // Consecutive jobs of one experiment share its dataset and evaluation images.
  const preparedFor = async (data: GridJobData): Promise<PreparedExperiment> => {
    const id = JSON.stringify({ config: data.config, out: data.out });
    if (cached?.id === id) return cached.prepared;
    cached?.prepared.dispose();
    cached = null;
    const prepared = await prepareExperiment(data.config, data.out, createProgressRenderer(), {
      writeInputs: false,
    });
    cached = { id, prepared };
    return prepared;
  };

  const processJob = async (
    job: Job<GridJobData, GridJobResult>,
    _token?: string,
    signal?: AbortSignal,
  ): Promise<GridJobResult> => {
    const data = job.data;
    const store = await storeFor(data);
    const prepared = await preparedFor({ ...data, out: store.localRoot });
    const cell = variantCell(data.config, data.seed, data.index);
    await store.pullCheckpoints(cell.key);
    // attemptsStarted counts this start too: above 1, an earlier start was killed or lost its lock.
    const resume = data.resume || job.attemptsStarted > 1 || job.stalledCounter > 0;
    log(`[worker] ${job.name} ${cell.label} seed ${data.seed}${resume ? ' (resume)' : ''}`);
    const progress = jobProgressRenderer(job, signal);
    // Checkpoints go to the store while training runs (training yields between steps, so the timer fires).
    let pushing = Promise.resolve();
    const pushTimer = setInterval(() => {
      pushing = pushing
        .then(() => store.pushCheckpoints(cell.key))
        .catch((error: Error) => log(`[worker] uploading checkpoints: ${error.message}`));
    }, options.pushEveryMs ?? 2000);
    let trained: Awaited<ReturnType<typeof trainStep>>;
    try {
      trained = await trainStep(prepared, cell, { resume, progress });
    } finally {
      clearInterval(pushTimer);
      await pushing;
    }
    await store.pushCheckpoints(cell.key);
    if (trained.resumedFrom)
      log(`[worker] ${cell.stage('train')} resumed from ${trained.resumedFrom}`);
    try {
      if (job.name === 'train')
        return {
          backend: prepared.backend.name,
          seconds: trained.seconds,
          fromCache: trained.fromCache,
        };
      const outcome = await evaluateStep(prepared, cell, trained, progress);
      await store.writeOutcome(job.id!, { backend: prepared.backend.name, outcome });
      return {
        backend: prepared.backend.name,
        seconds: outcome.evaluateSeconds,
        fromCache: false,
      };
    } finally {
      trained.model.dispose();
    }
  };

  const lockDuration = options.lockDurationMs ?? 300_000;
  const worker = new Worker<GridJobData, GridJobResult>(GRID_QUEUE, processJob, {
    connection: connectionFor(options.queue),
    concurrency: 1,
    lockDuration,
    // Renewing often (not only every lockDuration/2) notices a lost lock soon: see LOCK_CHECK_MS.
    lockRenewTime: Math.min(lockDuration / 2, LOCK_CHECK_MS),
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    // One more take-over than BullMQ's default: a job may survive two killed workers.
    maxStalledCount: 2,
    name: `${hostname()}:${process.pid}`,
  });
  // A lock that cannot be renewed belongs to nobody now (Redis restarted, or the job timed out and moved on):
  // stop the job at its next progress report rather than train alongside the worker that takes it over.
  worker.on('lockRenewalFailed', (jobIds) => {
    for (const id of jobIds) worker.cancelJob(id, `lost the lock of job ${id}`);
  });
  worker.on('failed', (job, error) =>
    log(`[worker] ${job?.name} ${job?.id} failed: ${error.message}`),
  );
  // Without a listener an 'error' event would crash the worker; Redis going away is logged and retried by ioredis.
  worker.on('error', (error) => log(`[worker] ${error.message}`));
  worker.on('closed', () => {
    cached?.prepared.dispose();
    // The S3 stores' local copies; everything in them is in the bucket.
    rmSync(scratchRoot(), { recursive: true, force: true });
  });
  await worker.waitUntilReady();
  log(`[worker] waiting for jobs on ${options.queue} (queue ${GRID_QUEUE})`);
  return worker;
}

import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { FlowJob } from 'bullmq';
import type { ExperimentConfig } from '../config/schema';
import { variantCell } from '../run/variant-steps';
import { GRID_QUEUE } from './redis-connection';

/** A grid job's payload: everything a worker on another machine needs to run its cell. */
export interface GridJobData {
  /** The experiment's config (its base seed: the evaluation images are drawn with it). */
  config: ExperimentConfig;
  /** The coordinator's results folder; without `store`, also the shared store: the same absolute path on every machine. */
  out: string;
  /** `s3://bucket/prefix?endpoint=…`: the artefacts go to this S3-compatible store instead of `out`. */
  store?: string;
  /** This cell's seed. */
  seed: number;
  /** Index into `config.variants`. */
  index: number;
  /** Continue training from the last checkpoint in the store (`--resume`, or a job queued again). */
  resume: boolean;
  /** e.g. `train 2/2 AT+FMS`, for `bench status`. */
  stage: string;
}

/** What a worker reports when a job completes (the outcome itself is in the store). */
export interface GridJobResult {
  backend: string;
  seconds: number;
  fromCache: boolean;
}

/** Identifies one cell of one experiment writing to one results folder. */
function cellHash(
  config: ExperimentConfig,
  out: string,
  seed: number,
  index: number,
  store?: string,
): string {
  return createHash('sha256')
    .update(JSON.stringify({ out, config, seed, index, ...(store ? { store } : {}) }))
    .digest('hex')
    .slice(0, 16);
}

/** The BullMQ job ids of a cell: derived from its settings, so queueing a grid twice queues nothing new. */
export function gridJobIds(
  config: ExperimentConfig,
  out: string,
  seed: number,
  index: number,
  store?: string,
): { train: string; evaluate: string } {
  const { key } = variantCell(config, seed, index);
  const hash = cellHash(config, resolve(out), seed, index, store);
  // BullMQ reserves ':' in job ids.
  return { train: `train-${key}-${hash}`, evaluate: `evaluate-${key}-${hash}` };
}

/** One cell of {@link gridFlows}: its evaluate job id and flow. */
export interface GridCell {
  seed: number;
  index: number;
  /** The variant's checkpoint folder name and heatmap prefix. */
  key: string;
  evaluateId: string;
  trainId: string;
  flow: FlowJob;
}

/**
 * The experiment as BullMQ flows, one per (seed, variant) cell: an `evaluate`
 * parent whose child is the `train` job, so a cell is measured only after its
 * variant is trained (BullMQ runs a parent when its children complete). A
 * failed training fails its evaluation (`failParentOnFailure`). Cells are in
 * the local run's order: seeds, then variants.
 */
export function gridFlows(
  config: ExperimentConfig,
  out: string,
  resume: boolean,
  store?: string,
): GridCell[] {
  out = resolve(out);
  const seeds = config.seeds ?? [config.seed];
  return seeds.flatMap((seed) =>
    config.variants.map((_, index) => {
      const ids = gridJobIds(config, out, seed, index, store);
      const cell = variantCell(config, seed, index);
      const data = (kind: 'train' | 'evaluate'): GridJobData => ({
        config,
        out,
        ...(store ? { store } : {}),
        seed,
        index,
        resume,
        stage: cell.stage(kind),
      });
      return {
        seed,
        index,
        key: cell.key,
        evaluateId: ids.evaluate,
        trainId: ids.train,
        flow: {
          name: 'evaluate',
          queueName: GRID_QUEUE,
          data: data('evaluate'),
          opts: { jobId: ids.evaluate },
          children: [
            {
              name: 'train',
              queueName: GRID_QUEUE,
              data: data('train'),
              opts: { jobId: ids.train, failParentOnFailure: true },
            },
          ],
        },
      };
    }),
  );
}

import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { RandomState } from '@trustgrad/core-tensor';

/** Where a run stands; saved with every checkpoint. */
export interface TrainingPosition {
  /** Epoch (0-based) the next step belongs to. */
  epoch: number;
  /** Global steps completed. */
  step: number;
  /** Batches of `epoch` already consumed (the data-order position). */
  batchIndex: number;
  /** The run's seed (data order and the generator's origin). */
  seed: number;
  /** State of the trainer's generator after `step` steps. */
  rng: RandomState;
}

/**
 * What the training loop needs to checkpoint and resume a run. The Node entry
 * wires it to the checkpoint folders on disk (`checkpoint.ts`); the browser
 * entry has none, so the loop stays free of `node:` modules and one loop serves both.
 */
export interface CheckpointStore {
  /** Removes every checkpoint under `dir`, for a run that starts over. */
  clear(dir: string): void;
  /** The checkpoint to resume from under `dir`, or null; `onFallback` hears about damaged ones skipped. */
  latest(dir: string, options: { onFallback?: (message: string) => void }): string | null;
  /** Restores `checkpoint` into `model` and `optimizer` and returns the position it holds. */
  load(
    checkpoint: string,
    model: tfl.LayersModel,
    optimizer: tf.Optimizer,
  ): Promise<TrainingPosition>;
  /** Saves model, optimiser and position under `dir`, keeping the newest `keep`; returns the checkpoint. */
  save(
    dir: string,
    model: tfl.LayersModel,
    optimizer: tf.Optimizer,
    position: TrainingPosition,
    keep: number,
  ): Promise<string>;
}

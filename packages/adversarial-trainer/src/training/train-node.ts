import type * as tfl from '@tensorflow/tfjs-layers';
import type { BatchFactory, BatchSource } from '../data/batch-source';
import { fileCheckpointStore } from './checkpoint';
import { type TrainOptions, type TrainResult, trainLoop } from './train';

/**
 * Trains `model` (which outputs logits) under any objective with any attack:
 * per step, the objective's `prepare` runs without gradient (e.g. PGD), the
 * gradient of its `loss` with respect to `model.trainableWeights` is taken
 * (model in training mode), weight decay is added and the optimiser steps.
 * A non-finite loss stops the run with a `NonFiniteLossError` before the
 * update. Checkpoints hold weights, optimiser state, the generator state and
 * the data-order position, so `resume` reproduces an unkilled run exactly.
 *
 * @example
 * const result = await train(model, inMemoryBatchSource({ x, y, batchSize: 64 }), {
 *   epochs: 10, objective: 'pgd-at', attackOptions: { eps: 0.1, steps: 7 },
 *   optimizer: { name: 'adam' }, learningRate: cosineDecay({ initial: 1e-3 }),
 *   evaluation: { data: testSource, maxBatches: 10 },
 *   checkpoint: { dir: 'runs/at', everySteps: 200 }, resume: true,
 * });
 */
export function train(
  model: tfl.LayersModel,
  data: BatchSource | BatchFactory,
  options: TrainOptions,
): Promise<TrainResult> {
  return trainLoop(model, data, options, fileCheckpointStore);
}

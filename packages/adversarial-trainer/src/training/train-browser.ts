import type * as tfl from '@tensorflow/tfjs-layers';
import type { BatchFactory, BatchSource } from '../data/batch-source';
import { type TrainOptions, type TrainResult, trainLoop } from './train';

/**
 * `train()` of the browser entry: the Node entry's training loop, step for
 * step, without checkpoints on disk. Passing `checkpoint` or `resume` throws an
 * `InvalidOptionError` that says what to do instead (keep the model with
 * `model.save('indexeddb://…')`, or train in Node for exact resume).
 *
 * @example
 * const result = await train(model, inMemoryBatchSource({ x, y, batchSize: 64 }), {
 *   epochs: 2, objective: 'pgd-at', attackOptions: { eps: 0.1, steps: 7 },
 *   onEpochEnd: () => model.save('indexeddb://fmnist-at').then(() => {}),
 * });
 */
export function train(
  model: tfl.LayersModel,
  data: BatchSource | BatchFactory,
  options: TrainOptions,
): Promise<TrainResult> {
  return trainLoop(model, data, options, undefined);
}

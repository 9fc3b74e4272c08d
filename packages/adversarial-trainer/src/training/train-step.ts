import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { SeededRandom } from '@trustgrad/core-tensor';
import type { Attack, AttackOptions } from '../attacks/attack';
import type { Objective, ObjectiveContext } from '../objectives/objective';

/** Everything one optimisation step needs. */
export interface TrainStepInput {
  model: tfl.LayersModel;
  optimizer: tf.Optimizer;
  // biome-ignore lint/suspicious/noExplicitAny: any objective plugin
  objective: Objective<any, any>;
  objectiveOptions: object;
  // biome-ignore lint/suspicious/noExplicitAny: any attack plugin
  attack: Attack<any>;
  attackOptions: AttackOptions;
  rng: SeededRandom;
  /** `[batch,h,w,c]` inputs and `[batch]` int32 labels (not disposed here). */
  x: tf.Tensor4D;
  y: tf.Tensor1D;
  step: number;
  epoch: number;
  /** Coupled L2 weight decay λ: `g ← g + λ·w` for every trainable weight (PyTorch SGD's `weight_decay`). */
  weightDecay: number;
}

/** What one step measured. */
export interface TrainStepResult {
  /** The objective's loss before the update (may be non-finite: then no update was applied). */
  loss: number;
  /** Samples of the batch the objective's logits classified correctly. */
  correct: number;
  /** Whether the update was applied (false when the loss was not finite). */
  applied: boolean;
}

/**
 * One training step: the objective's `prepare` (no gradient to weights), the
 * gradient of its `loss` with respect to the model's trainable weights, a
 * finiteness check, weight decay and the optimiser update. Leaves no tensors
 * behind (optimiser slots are created on the first call and then reused).
 */
export function trainStep(input: TrainStepInput): TrainStepResult {
  const { model, optimizer, objective, x, y, weightDecay } = input;
  const ctx: ObjectiveContext<object> = {
    model,
    x,
    y,
    attack: input.attack,
    attackOptions: { ...input.attackOptions, rng: input.rng },
    rng: input.rng,
    options: input.objectiveOptions,
    step: input.step,
    epoch: input.epoch,
    logits: (t) => model.apply(t, { training: true }) as tf.Tensor2D,
  };
  const prepared = objective.prepare
    ? tf.tidy(() => objective.prepare!(ctx) as tf.TensorContainer)
    : undefined;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let correct: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const out = objective.loss(ctx, prepared);
    correct = tf.keep(
      tf.sum(
        tf.cast(tf.equal(tf.argMax(out.logits, 1), tf.cast(y, 'int32')), 'int32'),
      ) as tf.Scalar,
    );
    return out.loss;
  }, variables);
  tf.dispose(prepared as tf.TensorContainer);
  const loss = value.dataSync()[0];
  const correctCount = correct!.dataSync()[0];
  value.dispose();
  correct!.dispose();
  if (!Number.isFinite(loss)) {
    tf.dispose(grads);
    return { loss, correct: correctCount, applied: false };
  }
  // A gradient missing for a weight would shift the optimiser's slot indices; use zeros instead.
  const ordered: tf.NamedTensorMap = {};
  for (const v of variables) {
    const g = grads[v.name] ?? tf.zerosLike(v);
    ordered[v.name] = weightDecay > 0 ? tf.tidy(() => tf.add(g, tf.mul(v, weightDecay))) : g;
    if (weightDecay > 0) g.dispose();
  }
  optimizer.applyGradients(ordered);
  tf.dispose(ordered);
  return { loss, correct: correctCount, applied: true };
}

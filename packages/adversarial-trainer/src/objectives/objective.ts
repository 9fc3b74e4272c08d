import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  type DefineOptions,
  registerUnlessTold,
  type SeededRandom,
  sharedRegistry,
} from '@trustgrad/core-tensor';
import type { Attack, AttackOptions } from '../attacks/attack';

/** What an objective sees at one training step. */
export interface ObjectiveContext<Options = object> {
  readonly model: tfl.LayersModel;
  /** `[batch,h,w,c]` clean inputs. */
  readonly x: tf.Tensor4D;
  /** `[batch]` int32 labels. */
  readonly y: tf.Tensor1D;
  /** The attack chosen for the run (used by adversarial objectives). */
  // biome-ignore lint/suspicious/noExplicitAny: any attack plugin fits
  readonly attack: Attack<any>;
  /** The run's attack options (ε, steps, step size, range, ...) with `rng` set to the trainer's generator. */
  readonly attackOptions: AttackOptions;
  /** The trainer's seeded generator (checkpointed, so resumed runs draw the same numbers). */
  readonly rng: SeededRandom;
  /** The objective's options: its defaults overridden by the run's `objectiveOptions`. */
  readonly options: Options;
  /** Global step (0-based) and epoch (0-based). */
  readonly step: number;
  readonly epoch: number;
  /** Logits of the model in training mode (BatchNorm uses batch statistics, dropout is on). */
  logits(x: tf.Tensor): tf.Tensor2D;
}

/** The differentiated part's result. */
export interface ObjectiveOutput {
  /** The scalar the trainer minimises. */
  loss: tf.Scalar;
  /** `[batch, classes]` logits whose accuracy is reported as the training accuracy. */
  logits: tf.Tensor2D;
}

/**
 * A training objective in two phases:
 * - `prepare(ctx)` runs without gradient to the weights: adversarial examples,
 *   sample weights, saliency maps — anything the loss needs as constants.
 *   Its tensors are disposed by the trainer after the step.
 * - `loss(ctx, prepared)` is the function the trainer differentiates with
 *   respect to the model's trainable weights.
 */
export interface Objective<Options = object, Prepared = unknown> {
  readonly name: string;
  /** One line: the loss formula and its paper. */
  readonly description: string;
  /** Every option with its default (`undefined` where none); the keys are the accepted options. */
  readonly defaults: Options;
  prepare?(ctx: ObjectiveContext<Options>): Prepared;
  loss(ctx: ObjectiveContext<Options>, prepared: Prepared): ObjectiveOutput;
}

/**
 * Every training objective known by kebab-case name; `defineObjective`
 * registers here (the built-ins `standard`, `pgd-at`, `trades`, `nrat`,
 * `scaat`, `explanation-consistency` too). Shared through `globalThis`.
 */
// biome-ignore lint/suspicious/noExplicitAny: objectives differ in options and prepared state
export const objectiveRegistry = sharedRegistry<Objective<any, any>>('objective', {
  keyStyle: 'kebab-case',
});

/**
 * Makes an objective plugin and registers it in {@link objectiveRegistry}
 * (unless `{ register: false }`). Any objective combines with any model and
 * any attack: `pgd-at` on a model holding a smoothing block is AT + FMS. The
 * trainer resolves the run's `objectiveOptions` over `defaults` with
 * core-tensor's `resolveOptions`, so a misspelt option (`{ betta: 6 }`) fails.
 *
 * @example
 * const clean = defineObjective({
 *   name: 'label-smoothing',
 *   description: 'CE against labels smoothed by α',
 *   defaults: { alpha: 0.1 },
 *   loss(ctx) {
 *     const logits = ctx.logits(ctx.x);
 *     const target = tf.add(tf.mul(tf.oneHot(ctx.y, 10), 1 - ctx.options.alpha), ctx.options.alpha / 10);
 *     return { loss: tf.losses.softmaxCrossEntropy(target, logits) as tf.Scalar, logits };
 *   },
 * });
 * train(model, data, { objective: 'label-smoothing', objectiveOptions: { alpha: 0.2 }, epochs: 1 });
 */
export function defineObjective<Options extends object = object, Prepared = undefined>(
  spec: Objective<Options, Prepared>,
  options: DefineOptions = {},
): Objective<Options, Prepared> {
  const objective = Object.freeze({ ...spec, defaults: Object.freeze({ ...spec.defaults }) });
  return registerUnlessTold(objectiveRegistry, objective, options);
}

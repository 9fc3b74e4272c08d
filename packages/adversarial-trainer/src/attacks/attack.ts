import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  assertRank,
  checkAttackRadius,
  type DefineOptions,
  InvalidOptionError,
  pgdStepSize,
  registerUnlessTold,
  resolveOptions,
  SeededRandom,
  ShapeError,
  sharedRegistry,
} from '@trustgrad/core-tensor';
import { crossEntropyPerSample } from '../losses/cross-entropy';
import { clipToRange } from './norm-ball';

/**
 * The loss an attack climbs, per sample: `(logits [batch, classes], labels [batch]) → [batch]`.
 * Default: softmax cross-entropy on the logits. TRADES passes a KL divergence here.
 */
export type AttackLoss = (logits: tf.Tensor2D, labels: tf.Tensor1D) => tf.Tensor1D;

/** Options every attack understands. Attack-specific options are added by the plugin's `Extra` type. */
export interface AttackOptions {
  /** Radius of the threat model's ball. A number, or `[batch]` per-sample radii (SCAAT scales ε per sample). */
  eps: number | tf.Tensor1D;
  /** Number of gradient steps. Default: the attack's (PGD 10, FGSM 1). */
  steps?: number;
  /** Step size. Default `ratio(steps) · ε` with the attack's ratio (PGD: 2.5/steps, FGSM: 1). */
  stepSize?: number;
  /** Start at a random point of the ball instead of at `x`. Default: the attack's (PGD true, FGSM false). */
  randomStart?: boolean;
  /** Move towards `target` (minimise its loss) instead of away from `y`. Default false. */
  targeted?: boolean;
  /** `[batch]` int32 target classes; required when `targeted`. */
  target?: tf.Tensor1D;
  /** Data range the adversarial input is clipped to. Default `[0, 1]`. */
  range?: readonly [number, number];
  /** Broadcastable to x (`[batch,h,w,1]` or `[batch,h,w,c]`): 1 where pixels may change, 0 where they may not. */
  mask?: tf.Tensor;
  /** Broadcastable to x: per-pixel multipliers of the step size (SCAAT uses `1 − saliency`). */
  stepWeights?: tf.Tensor;
  /** Source of the random start. Default `new SeededRandom(0)`. */
  rng?: SeededRandom;
  /** Per-sample loss the attack ascends (descends when targeted). Default cross-entropy on logits. */
  loss?: AttackLoss;
  /** Explicit starting point `[batch,h,w,c]` (overrides `randomStart`; must lie in the ball). */
  init?: tf.Tensor4D;
  /**
   * The labels an untargeted attack moves away from: `'true'` (default) the given `y`;
   * `'predicted'` the model's own class on the clean x, computed once before the first
   * step — cleverhans' `projected_gradient_descent(y=None)` default, which the FMS authors
   * train with (it avoids label leaking, Kurakin et al. 2017). Ignored when `targeted`.
   */
  labels?: AttackLabels;
  /**
   * Clip every iterate and the result to `range`. Default true. `false` is cleverhans'
   * behaviour when no `clip_min`/`clip_max` is passed (the FMS authors' FMNIST training):
   * the adversarial input may leave the data range, by at most ε.
   */
  clip?: boolean;
}

/** Which labels an untargeted attack ascends the loss of, see {@link AttackOptions.labels}. */
export type AttackLabels = 'true' | 'predicted';

/** What a plugin's `perturb` receives: validated options, as tensors shaped to broadcast per sample. */
export interface AttackContext<Extra = object> {
  readonly model: tfl.LayersModel;
  /** `[batch,h,w,c]` clean input. */
  readonly x: tf.Tensor4D;
  /** `[batch]` labels the loss is computed against: `target` when targeted, else `y`. */
  readonly labels: tf.Tensor1D;
  /** `[batch,1,1,1]` per-sample ε. */
  readonly eps: tf.Tensor4D;
  /** `[batch,1,1,1]` per-sample step size. */
  readonly stepSize: tf.Tensor4D;
  readonly steps: number;
  readonly randomStart: boolean;
  readonly targeted: boolean;
  readonly range: readonly [number, number];
  readonly mask: tf.Tensor | undefined;
  readonly stepWeights: tf.Tensor | undefined;
  readonly rng: SeededRandom;
  readonly init: tf.Tensor4D | undefined;
  /** Every option as the caller gave it, with the plugin's defaults, including `Extra`. */
  readonly options: AttackOptions & Extra;
  /**
   * `∇ₓ [s · Σ_i loss_i(f(x))]` at `xAdv`, with `s = +1` untargeted and `−1` targeted,
   * so stepping along it always makes the attack stronger. The model runs in inference mode.
   */
  ascentGradient(xAdv: tf.Tensor4D): tf.Tensor4D;
  /** Clips to `range` (the identity under `clip: false`). */
  clip(t: tf.Tensor): tf.Tensor4D;
  /** Whether {@link clip} clips: `false` under the option `clip: false` (cleverhans without clip_min/clip_max). */
  readonly clips: boolean;
}

/** The plugin object {@link defineAttack} builds. */
export interface Attack<Extra = object> {
  readonly name: string;
  /** One line: the algorithm and its paper. */
  readonly description: string;
  /** Defaults merged under the caller's options. */
  readonly defaults: Partial<AttackOptions> & Partial<Extra>;
  /**
   * Runs the attack: `(model, x [batch,h,w,c], y [batch] int32, opts) → xAdv [batch,h,w,c]`,
   * inside `tf.tidy`, the result clipped to `opts.range` (unless `clip: false`). The model must output logits.
   */
  run(
    model: tfl.LayersModel,
    x: tf.Tensor4D,
    y: tf.Tensor1D,
    opts: AttackOptions & Extra,
  ): tf.Tensor4D;
}

/** What a plugin author writes. */
export interface AttackSpec<Extra = object> {
  name: string;
  description: string;
  defaults?: Partial<AttackOptions> & Partial<Extra>;
  /** Step size as a fraction of ε given the step count, when `stepSize` is not set. Default `2.5 / steps`. */
  defaultStepSize?: (steps: number) => number;
  /** The algorithm: returns `xAdv`. Runs inside `tf.tidy`; the result is clipped to the range afterwards (unless `clip: false`). */
  perturb(ctx: AttackContext<Extra>): tf.Tensor4D;
}

const DEFAULT_STEPS = 10;

/** The keys of {@link AttackOptions}: every attack accepts them, plus the keys of its own `defaults`. */
export const ATTACK_OPTION_KEYS: readonly (keyof AttackOptions)[] = [
  'eps',
  'steps',
  'stepSize',
  'randomStart',
  'targeted',
  'target',
  'range',
  'mask',
  'stepWeights',
  'rng',
  'loss',
  'init',
  'labels',
  'clip',
];

/**
 * Every attack known by kebab-case name. `defineAttack` registers here (the
 * built-ins `fgsm`, `pgd-linf`, `pgd-l2`, `masked-pgd`, `pgd-group`,
 * `prox-regularised`, `pixel-budget-pgd`, `apgd-ce`, `apgd-dlr`, `apgd-t`,
 * `square`, `autoattack` too); shared through `globalThis`.
 */
// biome-ignore lint/suspicious/noExplicitAny: plugins differ in their extra options
export const attackRegistry = sharedRegistry<Attack<any>>('attack', { keyStyle: 'kebab-case' });

/**
 * Makes an attack plugin from its algorithm and registers it in
 * {@link attackRegistry} (unless `{ register: false }`). Option handling
 * (defaults, unknown keys rejected by core-tensor's `resolveOptions`,
 * validation, per-sample ε, targeted labels), `tf.tidy` and the final clip to
 * the data range are done here once, so `perturb` reads like the paper's box.
 *
 * @example
 * const noise = defineAttack({
 *   name: 'uniform-noise',
 *   description: 'uniform noise in the L∞ ball (a baseline, not an attack)',
 *   perturb: (ctx) => tf.add(ctx.x, tf.mul(ctx.rng.uniformTensor(ctx.x.shape, -1, 1), ctx.eps)) as tf.Tensor4D,
 * });
 * attackRegistry.get('uniform-noise'); // registered by defineAttack
 */
export function defineAttack<Extra = object>(
  spec: AttackSpec<Extra>,
  defineOptions: DefineOptions = {},
): Attack<Extra> {
  const defaults = Object.freeze({ ...(spec.defaults ?? {}) }) as Partial<AttackOptions> &
    Partial<Extra>;
  const ratio = spec.defaultStepSize ?? ((steps: number) => pgdStepSize(1, steps));
  const attack: Attack<Extra> = Object.freeze({
    name: spec.name,
    description: spec.description,
    defaults,
    run(
      model: tfl.LayersModel,
      x: tf.Tensor4D,
      y: tf.Tensor1D,
      userOptions: AttackOptions & Extra,
    ) {
      const options = resolveOptions(
        `attack "${spec.name}"`,
        defaults as object,
        userOptions,
        ATTACK_OPTION_KEYS,
      ) as AttackOptions & Extra;
      validate(spec.name, x, y, options);
      const steps = options.steps ?? DEFAULT_STEPS;
      const range = options.range ?? ([0, 1] as const);
      const targeted = options.targeted ?? false;
      const clip = options.clip ?? true;
      const loss = options.loss ?? crossEntropyPerSample;
      const sign = targeted ? -1 : 1;
      const batch = x.shape[0];
      return tf.tidy(() => {
        const eps = perSample(options.eps, batch);
        const stepSize =
          options.stepSize !== undefined
            ? perSample(options.stepSize, batch)
            : tf.mul(eps, ratio(steps));
        const labels = targeted
          ? (options.target as tf.Tensor1D)
          : options.labels === 'predicted'
            ? (tf.argMax(model.apply(x, { training: false }) as tf.Tensor2D, 1) as tf.Tensor1D)
            : y;
        const ascent = tf.grad((xi: tf.Tensor) =>
          tf.mul(sign, tf.sum(loss(model.apply(xi, { training: false }) as tf.Tensor2D, labels))),
        );
        const ctx: AttackContext<Extra> = {
          model,
          x,
          labels,
          eps,
          stepSize: stepSize as tf.Tensor4D,
          steps,
          randomStart: options.randomStart ?? true,
          targeted,
          range,
          mask: options.mask,
          stepWeights: options.stepWeights,
          rng: options.rng ?? new SeededRandom(0),
          init: options.init,
          options,
          ascentGradient: (xAdv) => ascent(xAdv) as tf.Tensor4D,
          clip: (t) => (clip ? clipToRange(t, range) : (t as tf.Tensor4D)),
          clips: clip,
        };
        return ctx.clip(spec.perturb(ctx));
      });
    },
  });
  return registerUnlessTold(attackRegistry, attack, defineOptions);
}

function perSample(value: number | tf.Tensor1D, batch: number): tf.Tensor4D {
  return typeof value === 'number'
    ? (tf.fill([batch, 1, 1, 1], value) as tf.Tensor4D)
    : (tf.reshape(tf.cast(value, 'float32'), [batch, 1, 1, 1]) as tf.Tensor4D);
}

function validate(name: string, x: tf.Tensor, y: tf.Tensor, o: AttackOptions): void {
  assertRank(x, 4, `${name}: x`, 'an NHWC batch [batch, height, width, channels]');
  assertRank(y, 1, `${name}: y`, 'one int32 class index per sample');
  const batch = x.shape[0];
  if (y.shape[0] !== batch) {
    throw new ShapeError(
      `${name}: y has ${y.shape[0]} labels but x has ${batch} samples; give one label per sample`,
    );
  }
  if (typeof o.eps === 'number') {
    checkAttackRadius(o.eps, `${name}: eps`);
  } else if (!(o.eps instanceof tf.Tensor) || o.eps.rank !== 1 || o.eps.shape[0] !== batch) {
    throw new InvalidOptionError(
      `${name}: eps must be a number or a [${batch}] tensor of per-sample radii`,
    );
  }
  if (o.steps !== undefined && !(Number.isInteger(o.steps) && o.steps >= 1)) {
    throw new InvalidOptionError(`${name}: steps must be an integer ≥ 1, got ${o.steps}`);
  }
  if (o.stepSize !== undefined && !(Number.isFinite(o.stepSize) && o.stepSize >= 0)) {
    throw new InvalidOptionError(
      `${name}: stepSize must be a finite number ≥ 0, got ${o.stepSize}`,
    );
  }
  if (o.range !== undefined && !(o.range.length === 2 && o.range[0] < o.range[1])) {
    throw new InvalidOptionError(
      `${name}: range must be [lo, hi] with lo < hi, got [${o.range.join(', ')}]`,
    );
  }
  if (o.labels !== undefined && o.labels !== 'true' && o.labels !== 'predicted') {
    throw new InvalidOptionError(
      `${name}: labels must be 'true' (the given y) or 'predicted' (the model's class on the clean x), got ${JSON.stringify(o.labels)}`,
    );
  }
  if (o.clip !== undefined && typeof o.clip !== 'boolean') {
    throw new InvalidOptionError(
      `${name}: clip must be true (clip to range) or false (cleverhans without clip_min/clip_max), got ${JSON.stringify(o.clip)}`,
    );
  }
  if (o.targeted) {
    if (!o.target) {
      throw new InvalidOptionError(
        `${name}: targeted attacks need opts.target, a [${batch}] int32 tensor of target classes`,
      );
    }
    if (o.target.rank !== 1 || o.target.shape[0] !== batch) {
      throw new ShapeError(
        `${name}: target has shape [${o.target.shape.join(', ')}], expected [${batch}]`,
      );
    }
  }
  for (const key of ['mask', 'stepWeights'] as const) {
    const t = o[key];
    if (t === undefined) continue;
    const ok =
      t.rank === 4 &&
      t.shape.every((d, i) => d === 1 || d === x.shape[i]) &&
      (t.shape[0] === batch || t.shape[0] === 1);
    if (!ok) {
      throw new ShapeError(
        `${name}: ${key} has shape [${t.shape.join(', ')}], expected a rank-4 tensor broadcastable to x [${x.shape.join(', ')}] (e.g. [${batch}, ${x.shape[1]}, ${x.shape[2]}, 1])`,
      );
    }
  }
  if (o.init !== undefined && o.init.shape.join() !== x.shape.join()) {
    throw new ShapeError(
      `${name}: init has shape [${o.init.shape.join(', ')}], expected x's shape [${x.shape.join(', ')}]`,
    );
  }
}

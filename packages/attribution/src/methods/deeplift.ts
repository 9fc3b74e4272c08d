import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { type BaselineSpec, makeBaseline } from '../baselines/baseline';
import { defineAttribution } from '../core/attribution-method';
import { withCompleteness } from '../core/completeness';
import type { ExplainContext } from '../core/explain-context';
import { replaceLayerCall } from '../layers/override-layer-call';
import { withReluOverride } from '../layers/override-relu';
import { targetQuantity } from '../model/target-quantity';
import { checkLayers } from '../propagation/check-layers';
import { UnsupportedLayerError } from '../propagation/unsupported-layer-error';

/** Options of {@link deepLift}. */
export interface DeepLiftOptions {
  /** Reference input `b`. Default `'zero'` (Captum's default). */
  baseline: BaselineSpec;
  /** `|Δz|` below which a nonlinearity falls back to its ordinary gradient (Captum's `eps`). Default 1e-10. */
  eps: number;
  /** Gaussian σ (pixels) of the `'blur'` baseline. Default 5. */
  blurSigma: number;
  /** Seed of the `'uniform'` baseline. Default 0. */
  seed: number;
}

/** Extras of {@link deepLift}, each `[b]`. */
export interface DeepLiftInfo extends Record<string, tf.Tensor> {
  /** `f_t(x) − f_t(b)`, what the map sums to (summation-to-delta). */
  outputDifference: tf.Tensor1D;
  /** `Σ attr − (f_t(x) − f_t(b))`: 0 up to rounding and the `eps` fallback. */
  completenessGap: tf.Tensor1D;
}

/** Layer classes DeepLIFT has a rule for: linear ones pass the gradient, ReLU and max-pooling get the Rescale rules. */
export const DEEPLIFT_LAYERS: ReadonlySet<string> = new Set([
  'InputLayer',
  'Conv2D',
  'Dense',
  'Flatten',
  'Reshape',
  'Dropout',
  'ZeroPadding2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'BatchNormalization',
  'Add',
  'Concatenate',
  'ReLU',
  'Activation',
  'MaxPooling2D',
]);

type Unary = (z: tf.Tensor) => tf.Tensor;

/**
 * DeepLIFT with the Rescale rule (Shrikumar, Greenside, Kundaje 2017,
 * "Learning Important Features Through Propagating Activation Differences"),
 * as Captum's `DeepLift`: the network runs on `[x; b]` at once; every ReLU's
 * gradient is replaced by the multiplier `Δrelu / Δz = (relu(z_x) − relu(z_b))
 * / (z_x − z_b)` (the ordinary gradient where `|Δz| < eps`), every max-pool's by
 * Captum's rule (the output difference routed through the argmaxes of `x` and
 * of `b`, divided by the input difference), linear layers (conv, dense,
 * pooling, batch norm, residual adds) keep theirs. The map is
 * `A = m ⊙ (x − b)`, and it sums to `f_t(x) − f_t(b)` per sample
 * (summation-to-delta, reported in `info.completenessGap`).
 *
 * Needs a `tfl.LayersModel` of the layers in {@link DEEPLIFT_LAYERS} with
 * ReLU or linear activations (skip connections included), explaining logits;
 * other layers fail with {@link UnsupportedLayerError}. The model's layers are
 * patched for the call and restored afterwards, even on error.
 * Chunks of `floor(batchSize / 2)` samples (2× images per pass). Shape like `x`.
 *
 * @example
 * const { attributions, info } = explainWithInfo('deeplift', model, x, { baseline: 'blur' });
 */
export const deepLift = defineAttribution<DeepLiftOptions, DeepLiftInfo>(
  {
    name: 'deeplift',
    description:
      'DeepLIFT (Rescale rule): multipliers Δout/Δin through ReLU and max-pool, A = m ⊙ (x − b), sums to f(x) − f(b) (Shrikumar et al. 2017, Captum)',
    defaults: { baseline: 'zero', eps: 1e-10, blurSigma: 5, seed: 0 },
    explain(ctx, x, options) {
      const baseline = makeBaseline(options.baseline, x, options);
      const multipliers = deepLiftMultipliers(
        ctx,
        x,
        baseline,
        ctx.targets,
        options.eps,
        'deeplift',
      );
      const attributions = tf.mul(multipliers, tf.sub(x, baseline));
      return withCompleteness(
        attributions,
        tf.sub(ctx.quantity(x), ctx.quantity(baseline)) as tf.Tensor1D,
      );
    },
  },
  { replace: true },
);

/**
 * The DeepLIFT Rescale multipliers `m` of the pairs `(xs_i, bs_i)` for
 * `targets_i` (`[n, ...]` like `xs`; `A = m ⊙ (xs − bs)`), in chunks of
 * `floor(batchSize / 2)` pairs. Checks the model's layers and the output kind
 * first; the Rescale rules are in place only during the call.
 */
export function deepLiftMultipliers(
  ctx: ExplainContext,
  xs: tf.Tensor,
  bs: tf.Tensor,
  targets: tf.Tensor1D,
  eps: number,
  method: string,
): tf.Tensor {
  const { model, layers } = checkLayers(ctx.model, method, DEEPLIFT_LAYERS);
  if (ctx.output !== 'logit') {
    throw new InvalidOptionError(
      `${method} explains logits (summation-to-delta holds for f_t = logit); got output "${ctx.output}"`,
    );
  }
  if (!(eps >= 0)) throw new InvalidOptionError(`eps must be ≥ 0, got ${eps}`);
  const n = xs.shape[0];
  const per = Math.max(1, Math.floor(ctx.batchSize / 2));
  return withRescaleRules(model, layers, eps, () => {
    const parts: tf.Tensor[] = [];
    for (let start = 0; start < n; start += per) {
      const size = Math.min(per, n - start);
      parts.push(
        tf.tidy(() => {
          const xc = tf.slice(xs, start, size);
          const bc = tf.slice(bs, start, size);
          const tc = tf.slice(targets, start, size);
          // Only the x half is differentiated; the b half provides the references.
          return tf.grad((xx: tf.Tensor) =>
            tf.sum(
              targetQuantity(
                tf.slice(ctx.logits(tf.concat([xx, bc])), 0, size) as tf.Tensor2D,
                tc,
                'logit',
              ),
            ),
          )(xc);
        }),
      );
    }
    return parts.length === 1 ? parts[0] : tf.concat(parts);
  });
}

/** Runs `fn` with the Rescale rules in every ReLU and max-pooling layer; restores them after. */
function withRescaleRules<T>(
  model: tfl.LayersModel,
  layers: tfl.layers.Layer[],
  eps: number,
  fn: () => T,
): T {
  const restore: (() => void)[] = [];
  try {
    for (const layer of layers.filter((l) => l.getClassName() === 'MaxPooling2D')) {
      const pool = maxPoolRescale(layer, eps);
      restore.push(
        replaceLayerCall(layer, (inputs) => pool(Array.isArray(inputs) ? inputs[0] : inputs)),
      );
    }
    const relu = reluRescale(eps);
    return withReluOverride(model, (z) => relu(z), fn).result;
  } finally {
    for (const undo of restore.reverse()) undo();
  }
}

/** Splits a doubled batch `[x; b]` into its halves. */
const halves = (t: tf.Tensor): [tf.Tensor, tf.Tensor] => tf.split(t, 2) as [tf.Tensor, tf.Tensor];

/** `num / den` where `|den| ≥ eps`, `fallback` elsewhere (no 0/0 in either branch). */
function rescaleOr(num: tf.Tensor, den: tf.Tensor, fallback: tf.Tensor, eps: number): tf.Tensor {
  const small = tf.less(tf.abs(den), eps);
  return tf.where(small, fallback, tf.div(num, tf.where(small, tf.onesLike(den), den)));
}

/** ReLU on `[x; b]` whose gradient is the Rescale multiplier `(relu(z_x) − relu(z_b)) / (z_x − z_b)`. */
function reluRescale(eps: number): Unary {
  const forward = (z: tf.Tensor, save: tf.GradSaveFunc) => {
    save([z]);
    return {
      value: tf.relu(z),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [zx, zb] = halves(saved[0]);
        const m = rescaleOr(tf.sub(tf.relu(zx), tf.relu(zb)), tf.sub(zx, zb), tf.step(zx), eps);
        return tf.mul(dy, tf.concat([m, m]));
      },
    };
  };
  return tf.customGrad(
    forward as unknown as Parameters<typeof tf.customGrad>[0],
  ) as unknown as Unary;
}

/**
 * Max-pooling on `[x; b]` with Captum's DeepLIFT rule: with `o_x, o_b` the
 * pooled outputs and `t = max(o_x, o_b)`, the contribution
 * `route_x(dy ⊙ (t − o_b)) + route_b(dy ⊙ (o_x − t))` (routes: the max-pool
 * gradient at `x`, at `b`) sums to `dy ⊙ (o_x − o_b)` per window; divided by
 * `Δin = x − b` it is the multiplier (the ordinary gradient where `|Δin| < eps`).
 */
function maxPoolRescale(layer: tfl.layers.Layer, eps: number): Unary {
  const config = layer as unknown as {
    poolSize: [number, number];
    strides: [number, number];
    padding: 'valid' | 'same';
    dataFormat: string;
  };
  if (config.dataFormat !== 'channelsLast') {
    throw new UnsupportedLayerError(
      `deeplift needs channelsLast (NHWC) pooling; layer "${layer.name}" is ${config.dataFormat}`,
    );
  }
  const pool = (t: tf.Tensor) =>
    tf.maxPool(t as tf.Tensor4D, config.poolSize, config.strides, config.padding);
  const route = (input: tf.Tensor, output: tf.Tensor, dy: tf.Tensor) =>
    tf
      .engine()
      .runKernel(
        'MaxPoolGrad',
        { dy, input, output },
        { filterSize: config.poolSize, strides: config.strides, pad: config.padding },
      ) as tf.Tensor;
  const forward = (z: tf.Tensor, save: tf.GradSaveFunc) => {
    save([z]);
    return {
      value: pool(z),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [zx, zb] = halves(saved[0]);
        const [dyx] = halves(dy);
        const ox = pool(zx);
        const ob = pool(zb);
        const top = tf.maximum(ox, ob);
        const contribution = tf.add(
          route(zx, ox, tf.mul(dyx, tf.sub(top, ob))),
          route(zb, ob, tf.mul(dyx, tf.sub(ox, top))),
        );
        const m = rescaleOr(contribution, tf.sub(zx, zb), route(zx, ox, dyx), eps);
        // The b half is never differentiated (its output gradient is zero).
        return tf.concat([m, tf.zerosLike(m)]);
      },
    };
  };
  return tf.customGrad(
    forward as unknown as Parameters<typeof tf.customGrad>[0],
  ) as unknown as Unary;
}

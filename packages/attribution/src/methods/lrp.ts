import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineAttribution } from '../core/attribution-method';
import { checkLayers } from '../propagation/check-layers';
import { UnsupportedLayerError } from '../propagation/unsupported-layer-error';

type Layer = tfl.layers.Layer;

/** The LRP rule of the weighted layers (Conv2D, Dense). */
export type LrpRule = 'epsilon' | 'alpha-beta';

/** Options of {@link lrp}. */
export interface LrpOptions {
  /** `'epsilon'` (LRP-ε, Captum's default rule) or `'alpha-beta'` (LRP-αβ). Default `'epsilon'`. */
  rule: LrpRule;
  /** ε of LRP-ε, added with the sign of `z` to every denominator (Captum's default 1e-9). */
  epsilon: number;
  /** α of LRP-αβ (positive contributions); `α − β = 1`. Default 1 (Captum's `Alpha1_Beta0_Rule`). */
  alpha: number;
  /** β of LRP-αβ (negative contributions), ≥ 0. Default 0. */
  beta: number;
}

/** Extras of {@link lrp}, each `[b]`. */
export interface LrpInfo extends Record<string, tf.Tensor> {
  /** `f_t(x)`, the relevance put on the target logit. */
  outputValue: tf.Tensor1D;
  /** `Σ R_input − f_t(x)`: 0 on bias-free nets with ε → 0 (conservation); biases and ε absorb the rest. */
  conservationGap: tf.Tensor1D;
}

const WEIGHTED = new Set(['Conv2D', 'Dense']);
/** Layers relevance passes unchanged (reshaped): ReLU and identity activations, reshapes, dropout. */
const PASS_THROUGH = new Set(['InputLayer', 'Flatten', 'Reshape', 'Dropout', 'ReLU', 'Activation']);
/** Unweighted linear-ish layers, propagated by the ε rule through their own function. */
const Z_RULE = new Set([
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'BatchNormalization',
  'ZeroPadding2D',
]);

/** The layer classes {@link lrp} has a rule for. */
export const LRP_LAYERS: ReadonlySet<string> = new Set([...WEIGHTED, ...PASS_THROUGH, ...Z_RULE]);

/** Captum's stability term of the αβ denominators. */
const STABILITY = 1e-9;

/**
 * Layer-wise Relevance Propagation (Bach et al. 2015, "On Pixel-Wise
 * Explanations for Non-Linear Classifier Decisions"), as Captum's `LRP`: the
 * target logit `R = f_t(x)` is redistributed layer by layer down to the input.
 * For a weighted layer `z_k = Σ_j a_j w_jk + b_k`:
 * - LRP-ε: `R_j = a_j Σ_k w_jk R_k / (z_k + ε·sign(z_k))`;
 * - LRP-αβ: `R_j = Σ_k (α (a_j w_jk)⁺ / z_k⁺ − β (a_j w_jk)⁻ / z_k⁻) R_k`,
 *   `z_k^± = Σ_j (a_j w_jk)^± + b_k^±`, `α − β = 1`.
 * ReLUs, flatten and dropout pass relevance unchanged; max/average pooling and
 * batch norm use the ε rule through their own function (max-pooling: nearly
 * all relevance to the window's maximum), as Captum does. Relevance is
 * conserved, `Σ R_input = f_t(x)`, on bias-free nets with ε → 0 (`info`
 * reports the gap); on a bias-free linear model LRP-ε is gradient × input.
 *
 * Needs a sequential chain (`tfl.sequential` or a functional model without
 * branches) of {@link LRP_LAYERS} with ReLU or linear activations; a residual
 * add or another layer fails with {@link UnsupportedLayerError}. Explains
 * logits. Chunks of `batchSize` images. Shape like `x`.
 *
 * @example
 * const map = explain('lrp', model, x, { rule: 'alpha-beta', alpha: 2, beta: 1 });
 */
export const lrp = defineAttribution<LrpOptions, LrpInfo>(
  {
    name: 'lrp',
    description:
      'Layer-wise Relevance Propagation, ε or αβ rule, from the target logit down to the input (Bach et al. 2015, Captum)',
    defaults: { rule: 'epsilon', epsilon: 1e-9, alpha: 1, beta: 0 },
    explain(ctx, x, options) {
      const { model } = checkLayers(ctx.model, 'lrp', LRP_LAYERS);
      if (ctx.output !== 'logit') {
        throw new InvalidOptionError(
          `lrp redistributes the target logit; got output "${ctx.output}", use 'logit'`,
        );
      }
      checkRuleOptions(options);
      const chain = sequentialChain(model);
      const b = x.shape[0];
      const parts: tf.Tensor[] = [];
      const values: tf.Tensor[] = [];
      for (let start = 0; start < b; start += ctx.batchSize) {
        const size = Math.min(ctx.batchSize, b - start);
        const [relevance, value] = tf.tidy(() => {
          const activations = [tf.slice(x, start, size)];
          for (const layer of chain) {
            activations.push(layer.apply(activations[activations.length - 1]) as tf.Tensor);
          }
          const logits = activations[activations.length - 1];
          const mask = tf.oneHot(tf.slice(ctx.targets, start, size), logits.shape[1] as number);
          let r: tf.Tensor = tf.mul(logits, tf.cast(mask, 'float32'));
          const top = tf.sum(r, 1);
          for (let i = chain.length - 1; i >= 0; i--) {
            r = propagate(chain[i], activations[i], r, options);
          }
          return [r, top];
        });
        parts.push(relevance);
        values.push(value);
      }
      const attributions = parts.length === 1 ? parts[0] : tf.concat(parts);
      const outputValue = (values.length === 1 ? values[0] : tf.concat(values)) as tf.Tensor1D;
      const total = tf.sum(tf.reshape(attributions, [b, -1]), 1);
      return {
        attributions,
        info: { outputValue, conservationGap: tf.sub(total, outputValue) as tf.Tensor1D },
      };
    },
  },
  { replace: true },
);

function checkRuleOptions({ rule, epsilon, alpha, beta }: LrpOptions): void {
  if (rule !== 'epsilon' && rule !== 'alpha-beta') {
    throw new InvalidOptionError(
      `rule "${String(rule)}" is unknown; use 'epsilon' or 'alpha-beta'`,
    );
  }
  if (!(epsilon >= 0)) throw new InvalidOptionError(`epsilon must be ≥ 0, got ${epsilon}`);
  if (!(beta >= 0) || Math.abs(alpha - beta - 1) > 1e-9) {
    throw new InvalidOptionError(
      `LRP-αβ needs β ≥ 0 and α − β = 1 (e.g. α = 2, β = 1); got α = ${alpha}, β = ${beta}`,
    );
  }
}

/** The layers of `model` as a chain, each fed by the one before; fails on any branch or merge. */
function sequentialChain(model: tfl.LayersModel): Layer[] {
  const chain = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const nested = chain.find((l) => Array.isArray((l as unknown as { layers?: unknown }).layers));
  if (nested) {
    throw new UnsupportedLayerError(
      `lrp needs a flat chain of layers; layer "${nested.name}" (${nested.getClassName()}) is a nested model: ` +
        'build the model from its layers directly',
    );
  }
  chain.forEach((layer, i) => {
    const nodes = (layer as unknown as { inboundNodes: { inboundLayers: Layer[] }[] }).inboundNodes;
    const inbound = nodes.length === 1 ? nodes[0].inboundLayers : [];
    const fed = i === 0 ? inbound.length <= 1 : inbound.length === 1 && inbound[0] === chain[i - 1];
    if (!fed || nodes.length !== 1) {
      throw new UnsupportedLayerError(
        `lrp needs a sequential chain of layers; layer "${layer.name}" (${layer.getClassName()}) is fed by ` +
          `${inbound.map((l) => `"${l.name}"`).join(', ') || 'nothing'}, not by the layer before it`,
      );
    }
  });
  return chain;
}

/** `z + ε·sign(z)`, with sign(0) = +1 so no denominator is 0. */
const stabilise = (z: tf.Tensor, eps: number) =>
  tf.add(z, tf.mul(tf.where(tf.greaterEqual(z, 0), tf.onesLike(z), tf.neg(tf.onesLike(z))), eps));

/** `Jᵀ s` of a linear map `f` at `a` (its vector–Jacobian product). */
const transpose = (f: (u: tf.Tensor) => tf.Tensor, a: tf.Tensor, s: tf.Tensor) =>
  tf.grad((u: tf.Tensor) => tf.sum(tf.mul(f(u), s)))(a);

/** Relevance at the input of `layer`, from `r` at its output and its input activation `a`. */
function propagate(layer: Layer, a: tf.Tensor, r: tf.Tensor, options: LrpOptions): tf.Tensor {
  const className = layer.getClassName();
  if (PASS_THROUGH.has(className)) return tf.reshape(r, a.shape);
  if (Z_RULE.has(className)) {
    const f = (u: tf.Tensor) => layer.apply(u) as tf.Tensor;
    return tf.mul(a, transpose(f, a, tf.div(r, stabilise(f(a), options.epsilon))));
  }
  const { linear, kernel, bias } = weightedLinear(layer, a);
  if (options.rule === 'epsilon') {
    const z = bias ? tf.add(linear(a, kernel), bias) : linear(a, kernel);
    const s = tf.div(r, stabilise(z, options.epsilon));
    return tf.mul(
      a,
      transpose((u) => linear(u, kernel), a, s),
    );
  }
  const aPos = tf.relu(a);
  const aNeg = tf.minimum(a, 0);
  const wPos = tf.relu(kernel);
  const wNeg = tf.minimum(kernel, 0);
  const withBias = (z: tf.Tensor, part: tf.Tensor | undefined) => (part ? tf.add(z, part) : z);
  const zPos = withBias(tf.add(linear(aPos, wPos), linear(aNeg, wNeg)), bias && tf.relu(bias));
  const zNeg = withBias(
    tf.add(linear(aPos, wNeg), linear(aNeg, wPos)),
    bias && tf.minimum(bias, 0),
  );
  const sPos = tf.div(r, tf.add(zPos, STABILITY));
  const sNeg = tf.div(r, tf.sub(zNeg, STABILITY));
  const share = (w: tf.Tensor, s: tf.Tensor, part: tf.Tensor) =>
    tf.mul(
      part,
      transpose((u) => linear(u, w), part, s),
    );
  const positive = tf.add(share(wPos, sPos, aPos), share(wNeg, sPos, aNeg));
  const negative = tf.add(share(wNeg, sNeg, aPos), share(wPos, sNeg, aNeg));
  return tf.sub(tf.mul(positive, options.alpha), tf.mul(negative, options.beta));
}

/** The linear part of a Conv2D or Dense layer as a function of (input, kernel), its kernel and bias. */
function weightedLinear(
  layer: Layer,
  a: tf.Tensor,
): {
  linear: (u: tf.Tensor, w: tf.Tensor) => tf.Tensor;
  kernel: tf.Tensor;
  bias: tf.Tensor | undefined;
} {
  const weights = layer.getWeights();
  const config = layer as unknown as {
    useBias: boolean;
    strides: [number, number];
    padding: 'valid' | 'same';
    dilationRate: [number, number];
    dataFormat: string;
  };
  const bias = config.useBias ? weights[1] : undefined;
  if (layer.getClassName() === 'Dense') {
    if (a.rank !== 2) {
      throw new UnsupportedLayerError(
        `lrp handles Dense layers on [b, features] inputs; layer "${layer.name}" gets rank ${a.rank} (add a Flatten before it)`,
      );
    }
    return {
      linear: (u, w) => tf.matMul(u as tf.Tensor2D, w as tf.Tensor2D),
      kernel: weights[0],
      bias,
    };
  }
  if (config.dataFormat !== 'channelsLast') {
    throw new UnsupportedLayerError(
      `lrp needs channelsLast (NHWC) convolutions; layer "${layer.name}" is ${config.dataFormat}`,
    );
  }
  return {
    linear: (u, w) =>
      tf.conv2d(
        u as tf.Tensor4D,
        w as tf.Tensor4D,
        config.strides,
        config.padding,
        'NHWC',
        config.dilationRate,
      ),
    kernel: weights[0],
    bias,
  };
}

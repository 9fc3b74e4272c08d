import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { isLayersModel } from '@trustgrad/attribution';
import { allLayers, InvalidOptionError } from '@trustgrad/core-tensor';
import { defineMetric } from '../metric/define-metric';
import { explainForTargets } from '../metric/explain-targets';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { targetClasses } from '../model/image-scores';

/** Options of {@link inputInvariance}; defaults are Quantus' `InputInvariance`. */
export interface InputInvarianceOptions {
  /** The constant added to every input value (`input_shift`). Default −1. */
  inputShift: number;
  /** Absolute tolerance of the map comparison (`np.isclose(atol=1e-4)`). Default 1e-4. */
  atol: number;
  /** Relative tolerance (`np.isclose`'s default rtol). Default 1e-5. */
  rtol: number;
}

const defaults: InputInvarianceOptions = { inputShift: -1, atol: 1e-4, rtol: 1e-5 };

type Layer = ReturnType<typeof allLayers>[number];

/**
 * Input invariance (Kindermans et al. 2019, "The (Un)reliability of Saliency
 * Methods"; Quantus' `InputInvariance`): a second model that sees x + s
 * (every value shifted by `inputShift`) and has its first layer's bias
 * lowered by that shift's contribution, `b' = b − s·Σ W` (per output unit,
 * over its inputs / kernel window), computes the same function on the
 * shifted data. An explanation method is input invariant when it gives the
 * same map for both: the value is 1 when every entry of the shifted model's
 * map of x + s is within `atol + rtol·|a|` of the map of x (`np.isclose`),
 * else 0. Higher is better. Gradients pass; input × gradient does not.
 *
 * The first layer with weights must be a Dense or Conv2D layer with a bias;
 * its bias is changed in place for the second explanation (so `explain`
 * must explain this very model) and restored afterwards, also on failure.
 * Quantus reads the shift's effect from the layer's output on a constant
 * image (after the activation, one value per channel); here it is the
 * pre-activation sum over a full window, which is exact for Dense layers and
 * for 'valid' convolutions. With 'same' padding the border positions see
 * zero padding that is not shifted, so no bias makes the two models equal
 * there (in Quantus either), and a map that depends on the border fails.
 * Target: the label `ctx.y`, else the class predicted on x.
 * `extra.maxAbsDifference[i]` is the largest |a − a'| of sample i.
 *
 * @example
 * await inputInvariance.evaluate({ model, x, explain: vg }); // 1 for every sample on a 'valid' CNN
 */
export async function inputInvarianceValues(
  ctx: ResolvedMetricContext,
  options: InputInvarianceOptions,
): Promise<{ values: number[]; extra: Record<string, unknown> }> {
  const { inputShift, atol, rtol } = options;
  if (!Number.isFinite(inputShift)) {
    throw new InvalidOptionError(`inputShift must be a finite number, got ${inputShift}`);
  }
  if (!(atol >= 0) || !(rtol >= 0)) {
    throw new InvalidOptionError(`atol and rtol must be numbers ≥ 0, got ${atol}, ${rtol}`);
  }
  const model = ctx.model;
  if (!isLayersModel(model)) {
    throw new InvalidOptionError(
      'inputInvariance shifts the first layer of a tfl.LayersModel; pass the LayersModel that `explain` explains',
    );
  }
  const layer = firstWeightedLayer(model);
  const x = ctx.x!;
  const n = x.shape[0];
  const size = x.size / n;
  const targets = await targetClasses(ctx);
  // Both maps come from `explain` with one target (ctx.explanations may be for another class).
  const original = await explainForTargets(ctx, targets);
  const saved = layer.getWeights().map((w) => tf.clone(w));
  const shiftedX = tf.add(x, inputShift) as tf.Tensor4D;
  let shifted: Float32Array;
  try {
    const [kernel, bias] = saved;
    const lowered = tf.tidy(() => {
      const fanIn = Array.from({ length: kernel.rank - 1 }, (_, k) => k);
      return tf.sub(bias, tf.mul(inputShift, tf.sum(kernel, fanIn)));
    });
    layer.setWeights([kernel, lowered, ...saved.slice(2)]);
    lowered.dispose();
    shifted = await explainForTargets({ ...ctx, x: shiftedX }, targets, 'explain(x + shift)');
  } finally {
    layer.setWeights(saved);
    tf.dispose([...saved, shiftedX]);
  }
  const maxAbsDifference: number[] = [];
  const values = Array.from({ length: n }, (_, i) => {
    let worst = 0;
    let close = true;
    for (let k = i * size; k < (i + 1) * size; k++) {
      const diff = Math.abs(original[k] - shifted[k]);
      worst = Math.max(worst, diff);
      if (!(diff <= atol + rtol * Math.abs(shifted[k]))) close = false;
    }
    maxAbsDifference.push(worst);
    return close ? 1 : 0;
  });
  return { values, extra: { maxAbsDifference } };
}

/** The first layer with weights; it must be a Dense or Conv2D layer with a bias. */
function firstWeightedLayer(model: tfl.LayersModel): Layer {
  const layer = allLayers(model).find(
    (l) => l.getWeights().length > 0 && !(l as unknown as { layers?: unknown }).layers,
  );
  const kind = layer?.getClassName();
  const weights = layer?.getWeights() ?? [];
  if (!layer || (kind !== 'Dense' && kind !== 'Conv2D') || weights.length < 2) {
    throw new InvalidOptionError(
      `inputInvariance needs the first layer with weights to be a Dense or Conv2D layer with a bias, ` +
        `got ${layer ? `${kind} "${layer.name}" with ${weights.length} weight tensor(s)` : 'none'}`,
    );
  }
  return layer;
}

/** Input invariance (Kindermans et al. 2019), see {@link inputInvarianceValues}. */
export const inputInvariance = defineMetric<InputInvarianceOptions>(
  {
    name: 'inputInvariance',
    description:
      'input invariance (Kindermans et al. 2019; Quantus): 1 when the map of x + shift on the bias-compensated model equals the map of x',
    higherIsBetter: true,
    requires: ['model', 'x', 'explain'],
    defaults,
    compute: inputInvarianceValues,
  },
  { replace: true },
);

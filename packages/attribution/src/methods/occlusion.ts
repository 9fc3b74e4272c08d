import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import {
  makeBaseline,
  REPLACEMENT_BASELINE_DEFAULTS,
  type ReplacementBaselineOptions,
} from '../baselines/baseline';
import { defineAttribution } from '../core/attribution-method';
import { ablationSweep } from '../perturbation/ablation-sweep';

/** Options of {@link occlusion}. */
export interface OcclusionOptions extends ReplacementBaselineOptions {
  /**
   * Sliding window over one sample: `[h, w]` (NHWC images, every channel
   * occluded together) or one size per sample axis, e.g. `[h, w, c]`
   * (Captum's `sliding_window_shapes`). Default `[4, 4]`.
   */
  window: number[];
  /** Step of the window per axis, one number for all axes or one per window axis (Captum's `strides`). Default 1. */
  strides: number | number[];
}

/**
 * Occlusion (Zeiler & Fergus 2014, "Visualizing and Understanding
 * Convolutional Networks"), as Captum's `Occlusion`: a window slides over
 * each sample with the given strides (positions `0, s, 2s, …` with
 * `⌊(n − w)/s⌋ + 1` per axis); at each position the window is replaced by the
 * baseline and the drop `f_t(x) − f_t(x_occluded)` is credited to every
 * feature in the window. A feature's attribution is the mean drop over the
 * windows that cover it:
 * `A_i = Σ_k [i ∈ W_k] (f_t(x) − f_t(x_k)) / Σ_k [i ∈ W_k]`.
 *
 * Features no window covers (when the strides skip the border) get 0, where
 * Captum divides 0 by 0 and returns NaN. Windows of many positions are scored
 * `floor(batchSize / b)` at a time. For a linear model and a 1-element window
 * the map is exactly `w_t ⊙ (x − b)`. Shape `[b, ...]` like `x`.
 *
 * @example
 * const map = explain('occlusion', model, x, { window: [4, 4], strides: 2 });
 */
export const occlusion = defineAttribution<OcclusionOptions>(
  {
    name: 'occlusion',
    description:
      'Occlusion: mean output drop over the sliding baseline windows covering each feature (Zeiler & Fergus 2014, Captum)',
    defaults: { window: [4, 4], strides: 1, ...REPLACEMENT_BASELINE_DEFAULTS },
    explain(ctx, x, options) {
      const sampleShape = x.shape.slice(1);
      const window = windowShape(options.window, sampleShape);
      const strides = strideShape(options.strides, window.length);
      const counts = window.map(
        (w, axis) => Math.floor((sampleShape[axis] - w) / strides[axis]) + 1,
      );
      const positions = counts.reduce((a, n) => a * n, 1);
      const features = sampleShape.reduce((a, n) => a * n, 1);
      const windowMask = (index: number, into: Float32Array, offset: number) => {
        // Mixed-radix digits of `index` give the window's corner along each axis.
        const corner = new Array<number>(window.length);
        let rest = index;
        for (let axis = window.length - 1; axis >= 0; axis--) {
          corner[axis] = (rest % counts[axis]) * strides[axis];
          rest = Math.floor(rest / counts[axis]);
        }
        fillBox(into, offset, sampleShape, corner, window);
      };
      const coverage = new Float32Array(features);
      for (let k = 0; k < positions; k++) windowMask(k, coverage, 0);
      const baseline = makeBaseline(options.baseline, x, options);
      const total = ablationSweep(ctx, x, baseline, positions, (first, count) => {
        const data = new Float32Array(count * features);
        for (let k = 0; k < count; k++) windowMask(first + k, data, k * features);
        return tf.tensor(data, [count, 1, ...sampleShape]);
      });
      // Uncovered features have total 0: divide by max(count, 1) so they stay 0.
      const weights = tf.tensor(
        coverage.map((c) => Math.max(c, 1)),
        [1, ...sampleShape],
      );
      return tf.div(total, weights);
    },
  },
  { replace: true },
);

/** Adds 1 to every element of the box `corner .. corner + size` of a row-major `shape` array at `offset`. */
function fillBox(
  into: Float32Array,
  offset: number,
  shape: number[],
  corner: number[],
  size: number[],
): void {
  const rank = shape.length;
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let a = rank - 2; a >= 0; a--) strides[a] = strides[a + 1] * shape[a + 1];
  const visit = (axis: number, base: number) => {
    for (let i = corner[axis]; i < corner[axis] + size[axis]; i++) {
      const at = base + i * strides[axis];
      if (axis === rank - 1) into[offset + at] += 1;
      else visit(axis + 1, at);
    }
  };
  visit(0, 0);
}

function windowShape(window: number[], sampleShape: number[]): number[] {
  const given = Array.isArray(window) ? window : [];
  const full =
    given.length === sampleShape.length - 1 && sampleShape.length === 3
      ? [...given, sampleShape[2]]
      : given;
  if (
    full.length !== sampleShape.length ||
    full.some((w, axis) => !Number.isInteger(w) || w < 1 || w > sampleShape[axis])
  ) {
    throw new InvalidOptionError(
      `occlusion window ${JSON.stringify(window)} does not fit a sample of shape [${sampleShape.join(', ')}]; ` +
        'give [h, w] for NHWC images or one size per sample axis, each an integer in 1..axis size',
    );
  }
  return full;
}

function strideShape(strides: number | number[], rank: number): number[] {
  const full = typeof strides === 'number' ? new Array<number>(rank).fill(strides) : strides;
  const spatialOnly = Array.isArray(strides) && strides.length === rank - 1 && rank === 3;
  const expanded = spatialOnly ? [...full, 1] : full;
  if (expanded.length !== rank || expanded.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new InvalidOptionError(
      `occlusion strides ${JSON.stringify(strides)} are invalid; give a positive integer or one per window axis`,
    );
  }
  return expanded;
}

import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { defineMetric } from '../metric/define-metric';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { predictClasses } from '../model/model-like';
import { noisyLinearImputation } from '../perturbation/noisy-linear-imputation';
import { type PixelRelevance, pixelRelevance, rankPixels } from '../relevance/pixel-relevance';

/** Options of {@link roadAopc}. */
export interface RoadOptions {
  /** Percentages of the pixels removed, most relevant first. Default 1, 6, …, 96 (the FMS authors'). */
  percentages: readonly number[];
  /** σ of the Gaussian noise added to every imputed value. Default 0.01 (Quantus, the FMS authors). */
  noise: number;
  /**
   * How channels become one relevance per pixel for the ranking. Default
   * `'abs'`: the FMS authors' maps are Captum `Saliency` (|gradient|) summed
   * over channels; `'signed'` is Quantus' ROAD (`abs=False`) on a signed map.
   */
  pixelRelevance: PixelRelevance;
}

const defaults: RoadOptions = {
  percentages: Array.from({ length: 20 }, (_, k) => 1 + 5 * k),
  noise: 0.01,
  pixelRelevance: 'abs',
};

/**
 * ROAD (Rong, Leemann et al. 2022, "A Consistent and Efficient Evaluation
 * Strategy for Attribution Methods"; Quantus' `ROAD`) summarised as AOPC MoRF
 * (the FMS authors' `compute_road_aopc_morf`). For each percentage p_k the
 * `⌊h·w·p_k/100⌋` most relevant pixels (all channels) are removed and filled
 * by {@link noisyLinearImputation} (noise 0.01), and `c_k` is 1 when the
 * model still predicts the target (the label `ctx.y` when given, else the
 * class predicted on x). Per sample
 *
 * `AOPC = Σ_{k=0}^{K} (c_0 − c_k) / (K + 1)`,
 *
 * so the mean over samples is the authors' `Σ(acc₀ − acc_k)/(K + 1)` on the
 * accuracy curve, with K + 1 the number of percentages plus one and acc₀ the
 * accuracy at the **first** percentage (1%), as their code has it (its
 * comment calls it the unperturbed accuracy; it is not). Higher is better: a
 * faithful map removes the evidence first, so accuracy drops fast.
 * `extra.percentages` and `extra.accuracy` hold the curve (Quantus' ROAD
 * result). Ties in relevance keep row-major order.
 *
 * @example
 * await roadAopc.evaluate({ model, x, y, explain: vg, seed: 0 }); // mean ∈ [−1, 1]
 */
export async function roadAopcValues(
  ctx: ResolvedMetricContext,
  options: RoadOptions,
): Promise<{ values: number[]; extra: Record<string, unknown> }> {
  const { percentages, noise } = options;
  if (
    !Array.isArray(percentages) ||
    percentages.length === 0 ||
    percentages.some((p) => !(p >= 0 && p < 100))
  ) {
    throw new InvalidOptionError(
      `percentages must be a non-empty list of numbers in [0, 100), got ${JSON.stringify(percentages)}`,
    );
  }
  if (!(noise >= 0) || !Number.isFinite(noise)) {
    throw new InvalidOptionError(`noise must be a finite number ≥ 0, got ${noise}`);
  }
  const x = ctx.x!;
  const [n, h, w, c] = x.shape;
  const model = ctx.model!;
  const target = ctx.y
    ? Array.from(await ctx.y.data())
    : await predictedClasses(model, x, ctx.batchSize);
  const relevance = pixelRelevance(ctx.explanations!, options.pixelRelevance);
  const relevanceValues = await relevance.data();
  relevance.dispose();
  const pixels = x.dataSync();
  const size = h * w * c;
  const ranks = Array.from({ length: n }, (_, i) =>
    rankPixels(relevanceValues.subarray(i * h * w, (i + 1) * h * w)),
  );
  const hits = percentages.map(() => new Uint8Array(n));
  for (let k = 0; k < percentages.length; k++) {
    const count = Math.floor((h * w * percentages[k]) / 100);
    const batch = new Float32Array(n * size);
    for (let i = 0; i < n; i++) {
      const image = pixels.subarray(i * size, (i + 1) * size);
      batch.set(
        noisyLinearImputation(image, h, w, c, ranks[i].subarray(0, count), noise, ctx.rng),
        i * size,
      );
    }
    const perturbed = tf.tensor4d(batch, [n, h, w, c]);
    const predicted = predictClasses(model, perturbed, ctx.batchSize);
    const classes = predicted.dataSync();
    tf.dispose([perturbed, predicted]);
    for (let i = 0; i < n; i++) hits[k][i] = classes[i] === target[i] ? 1 : 0;
  }
  const values = Array.from({ length: n }, (_, i) => {
    let drop = 0;
    for (let k = 0; k < percentages.length; k++) drop += hits[0][i] - hits[k][i];
    return drop / (percentages.length + 1);
  });
  const accuracy = hits.map((row) => row.reduce((s, v) => s + v, 0) / n);
  return { values, extra: { percentages: [...percentages], accuracy } };
}

async function predictedClasses(
  model: NonNullable<ResolvedMetricContext['model']>,
  x: tf.Tensor4D,
  batchSize: number,
): Promise<number[]> {
  const predicted = predictClasses(model, x, batchSize);
  const classes = Array.from(await predicted.data());
  predicted.dispose();
  return classes;
}

/** ROAD AOPC MoRF, see {@link roadAopcValues}. */
export const roadAopc = defineMetric<RoadOptions>(
  {
    name: 'roadAopc',
    description:
      'ROAD (Rong et al. 2022) with noisy linear imputation, AOPC MoRF Σ(acc₀ − acc_k)/(K + 1) over percentages 1, 6, …, 96 (FMS authors)',
    higherIsBetter: true,
    requires: ['model', 'x', 'explanations'],
    defaults,
    compute: roadAopcValues,
  },
  { replace: true },
);

import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  type AttributionMethod,
  absolute,
  explain,
  isLayersModel,
  reduceChannels,
} from '@trustgrad/attribution';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import {
  type BackgroundAttack,
  backgroundMask,
  type MapSimilarity,
  mapSimilarity,
} from '@trustgrad/metrics';
import type { Attack, AttackOptions } from '../attacks/attack';
import { maskedPgd } from '../attacks/masked-pgd';

/** Options of {@link backgroundConsistency}. */
export interface BackgroundConsistencyOptions {
  /** Attribution plugin giving `E(x)`. Default `'gradcam'` (on the last conv layer). */
  // biome-ignore lint/suspicious/noExplicitAny: any attribution plugin
  explanation?: string | AttributionMethod<any>;
  /** Options of the explanation method (e.g. `{ layer: 'conv1' }` for Grad-CAM). */
  explanationOptions?: Record<string, unknown>;
  /** Background = pixels at or below the map's q-quantile. Default 0.5. */
  q?: number;
  /** `'cosine'` (default), `'pearson'` or `'ssim'`. */
  similarity?: MapSimilarity;
  /** Masked PGD-L∞ options (ε required; steps, step size, range, rng, randomStart). */
  attack: AttackOptions;
  /** Halvings of δ tried on a sample whose prediction the attack changed before falling back to δ = 0. Default 4. */
  backtracks?: number;
}

/** What {@link backgroundConsistency} returns (the caller owns every tensor). */
export interface BackgroundConsistency {
  /** `[batch]` int32 predicted classes of x (the explained class for both maps). */
  predicted: tf.Tensor1D;
  /** `[batch,h,w,1]` channel-summed |E(x)|. */
  map: tf.Tensor4D;
  /** `[batch,h,w,1]` 1 on the background (attacked), 0 on the foreground. */
  background: tf.Tensor4D;
  /** `[batch,h,w,c]` background-perturbed input with the prediction of x. */
  xAdv: tf.Tensor4D;
  /** `[batch,h,w,1]` channel-summed |E(xAdv)|. */
  mapAdv: tf.Tensor4D;
  /** `[batch]` similarity of the two maps. */
  consistency: tf.Tensor1D;
}

/**
 * Explanation consistency (Wu, Jiang, Wang, Tang, He, Lin 2024, *Improving
 * Network Interpretability via Explanation Consistency Evaluation*), per sample:
 * 1. `p = argmax f(x)`, `E(x)` = the explanation of class p (Grad-CAM by
 *    default), `|·|` summed over channels;
 * 2. background `B = [E(x) ≤ q-quantile of E(x)]`;
 * 3. `x' = ` masked PGD-L∞ on B only (ascending CE of class p, so the
 *    background is pushed where the model is most sensitive), then the
 *    prediction is kept: a sample whose class changed has its δ halved up to
 *    `backtracks` times and, still changed, is reset to `x' = x`
 *    (so its consistency is 1, the "nothing found" value);
 * 4. `c = sim(E(x), E(x'))`, both maps of class p.
 * The background rule (`backgroundMask`, ≤ the quantile) and the similarity
 * (`mapSimilarity`) are the metrics package's, the ones the
 * `explanationConsistency` metric scores with, so a model trained on this
 * signal is scored by the same definition.
 * Runs in inference mode; nothing is differentiated with respect to the weights.
 */
export function backgroundConsistency(
  model: tfl.LayersModel,
  x: tf.Tensor4D,
  options: BackgroundConsistencyOptions,
): BackgroundConsistency {
  const method = options.explanation ?? 'gradcam';
  const backtracks = options.backtracks ?? 4;
  if (!(Number.isInteger(backtracks) && backtracks >= 0)) {
    throw new InvalidOptionError(`backtracks must be an integer ≥ 0, got ${backtracks}`);
  }
  return tf.tidy(() => {
    const batch = x.shape[0];
    const explainMap = (t: tf.Tensor4D, target: tf.Tensor1D) =>
      reduceChannels(
        absolute(
          explain(method, model, t, { ...options.explanationOptions, target, batchSize: batch }),
        ),
        'sum',
      );
    const predicted = tf
      .argMax(model.apply(x, { training: false }) as tf.Tensor2D, 1)
      .toInt() as tf.Tensor1D;
    const map = explainMap(x, predicted);
    const background = backgroundMask(map, options.q ?? 0.5);
    const xAdv = keptPredictionBackgroundAttack(
      model,
      x,
      predicted,
      background,
      options.attack,
      backtracks,
    );
    const mapAdv = explainMap(xAdv, predicted);
    const consistency = mapSimilarity(map, mapAdv, options.similarity ?? 'cosine');
    return { predicted, map, background, xAdv, mapAdv, consistency };
  });
}

/**
 * Step 3 of {@link backgroundConsistency}: masked PGD-L∞ on `background`
 * (ascending CE of `predicted`), then the prediction kept by halving δ of a
 * sample whose class changed up to `backtracks` times and otherwise resetting
 * it to `x`. Returns `x'` `[batch,h,w,c]`.
 */
function keptPredictionBackgroundAttack(
  model: tfl.LayersModel,
  x: tf.Tensor4D,
  predicted: tf.Tensor1D,
  background: tf.Tensor4D,
  attack: AttackOptions,
  backtracks: number,
): tf.Tensor4D {
  return tf.tidy(() => {
    const batch = x.shape[0];
    const predict = (t: tf.Tensor) =>
      tf.argMax(model.apply(t, { training: false }) as tf.Tensor2D, 1).toInt() as tf.Tensor1D;
    let xAdv = (maskedPgd as Attack).run(model, x, predicted, {
      ...attack,
      targeted: false,
      mask: background,
    });
    const delta = tf.sub(xAdv, x);
    for (let k = 0; k <= backtracks; k++) {
      const changed = tf.reshape(tf.notEqual(predict(xAdv), predicted), [batch, 1, 1, 1]);
      const fallback = k < backtracks ? tf.add(x, tf.mul(delta, 0.5 ** (k + 1))) : x;
      xAdv = tf.where(tf.broadcastTo(changed, x.shape), fallback, xAdv) as tf.Tensor4D;
    }
    return xAdv;
  });
}

/**
 * The training objective's background attack as the metrics'
 * `BackgroundAttack`, so the `explanationConsistency` metric can score with
 * the very attack the `explanation-consistency` objective trains against:
 * `evaluateMetric('explanationConsistency', ctx, { attack: backgroundAttack({ eps, steps }) })`.
 * Masked PGD-L∞ with `attack` (ε required; steps, step size, range, rng) and
 * the prediction kept by `backtracks` halvings (default 4).
 */
export function backgroundAttack(attack: AttackOptions, backtracks = 4): BackgroundAttack {
  if (!(Number.isInteger(backtracks) && backtracks >= 0)) {
    throw new InvalidOptionError(`backtracks must be an integer ≥ 0, got ${backtracks}`);
  }
  return (model, x, target, background) => {
    if (!isLayersModel(model)) {
      throw new InvalidOptionError(
        'backgroundAttack needs a tfl.LayersModel (the attack plugins run model.apply); pass the LayersModel itself',
      );
    }
    return keptPredictionBackgroundAttack(model, x, target, background, attack, backtracks);
  };
}

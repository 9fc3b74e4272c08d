import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { isLayersModel } from '@trustgrad/attribution';
import { allLayers, InvalidOptionError, mixSeed, SeededRandom } from '@trustgrad/core-tensor';
import { defineMetric } from '../metric/define-metric';
import { explainForTargets } from '../metric/explain-targets';
import type { ResolvedMetricContext } from '../metric/metric-context';
import { targetClasses } from '../model/image-scores';
import {
  checkRandomisationSimilarity,
  mapSimilarities,
  type RandomisationSimilarity,
} from './map-correlations';

/** Options of {@link modelParameterRandomisation}; defaults are Quantus' `MPRT`. */
export interface ModelParameterRandomisationOptions {
  /** `'top_down'`: cascading from the output layer (Adebayo et al.); `'independent'`: one layer at a time. Default 'top_down'. */
  layerOrder: 'top_down' | 'independent';
  /** Map similarity (`similarity_func`). Default 'spearman'. */
  similarity: RandomisationSimilarity;
  /** The value per sample: the mean over layers (`return_average_correlation`) or the last layer's (`return_last_correlation`). Default 'average'. */
  summary: 'average' | 'last';
  /** Compare |maps| (`abs`). Default true. */
  abs: boolean;
  /** Scale each map by its max |a| (`normalise`). Default true. */
  normalise: boolean;
}

const defaults: ModelParameterRandomisationOptions = {
  layerOrder: 'top_down',
  similarity: 'spearman',
  summary: 'average',
  abs: true,
  normalise: true,
};

type Layer = ReturnType<typeof allLayers>[number];

/**
 * Model parameter randomisation test (Adebayo et al. 2018, "Sanity Checks for
 * Saliency Maps"; Quantus' `MPRT`). The layers with weights are randomised
 * one after another from the output down (cascading; `'independent'` goes
 * from the input up and resets the model before each, as Quantus), each weight tensor permuted along its first axis
 * (Quantus' TensorFlow `np.random.permutation(w)`; seed
 * `mixSeed(seed, 'mprt', layerName)`, so a layer gets the same permutation in either order), and after each layer x is explained again
 * (`explain`, same targets as the original maps, which are explained here
 * too: the label `ctx.y`, else the class predicted by the original model). The similarity of each new map to the original one
 * (Spearman of |maps| by default) forms the layer curve; the value is its mean
 * over layers (or the last layer's). Lower is better: a map that still looks
 * the same on a randomised model does not explain the model.
 *
 * The model must be the `tfl.LayersModel` that `explain` explains (weights are
 * changed in place, so the explainer sees them) and its weights are restored
 * afterwards, also on failure. Quantus' average also counts its "original"
 * entry (a dictionary key mismatch, `"orig"`); here only randomised layers
 * count. `extra.layers` names the layers in randomisation order,
 * `extra.curve` holds the mean similarity per layer, `extra.similarities[l][i]`
 * every value.
 *
 * @example
 * await modelParameterRandomisation.evaluate({ model, x, explain: vg, seed: 0 });
 */
export async function modelParameterRandomisationValues(
  ctx: ResolvedMetricContext,
  options: ModelParameterRandomisationOptions,
): Promise<{ values: number[]; extra: Record<string, unknown> }> {
  const { layerOrder, similarity, summary, abs, normalise } = options;
  if (layerOrder !== 'top_down' && layerOrder !== 'independent') {
    throw new InvalidOptionError(
      `layerOrder must be 'top_down' or 'independent', got ${JSON.stringify(layerOrder)}`,
    );
  }
  if (summary !== 'average' && summary !== 'last') {
    throw new InvalidOptionError(
      `summary must be 'average' or 'last', got ${JSON.stringify(summary)}`,
    );
  }
  checkRandomisationSimilarity(similarity);
  const model = ctx.model;
  if (!isLayersModel(model)) {
    throw new InvalidOptionError(
      'modelParameterRandomisation randomises the weights of a tfl.LayersModel; pass the LayersModel ' +
        'that `explain` explains (a function model has no layers to randomise)',
    );
  }
  const x = ctx.x!;
  const n = x.shape[0];
  const targets = await targetClasses(ctx);
  const explainAll = () => explainForTargets(ctx, targets);
  const layers = weightedLayers(model);
  if (layerOrder === 'top_down') layers.reverse();
  const saved = layers.map((layer) => layer.getWeights().map((w) => tf.clone(w)));
  const similarities: number[][] = [];
  try {
    // The originals are explained here too (not taken from ctx.explanations), so both maps share one target.
    const original = await explainAll();
    for (let l = 0; l < layers.length; l++) {
      if (layerOrder === 'independent' && l > 0) layers[l - 1].setWeights(saved[l - 1]);
      const rng = new SeededRandom(mixSeed(ctx.seed, 'mprt', layers[l].name));
      const permuted = saved[l].map((w) => permuteFirstAxis(w, rng));
      layers[l].setWeights(permuted);
      tf.dispose(permuted);
      const randomised = await explainAll();
      similarities.push(mapSimilarities(original, randomised, n, similarity, { abs, normalise }));
    }
  } finally {
    layers.forEach((layer, l) => layer.setWeights(saved[l]));
    tf.dispose(saved.flat());
  }
  const L = similarities.length;
  const values = Array.from({ length: n }, (_, i) =>
    summary === 'last'
      ? similarities[L - 1][i]
      : similarities.reduce((s, row) => s + row[i], 0) / L,
  );
  return {
    values,
    extra: {
      layers: layers.map((layer) => layer.name),
      curve: similarities.map((row) => row.reduce((s, v) => s + v, 0) / n),
      similarities,
    },
  };
}

/** The model's layers that hold weights, input to output (nested models' layers in place of the model). */
function weightedLayers(model: tfl.LayersModel): Layer[] {
  const layers = allLayers(model).filter(
    (layer) => layer.getWeights().length > 0 && !(layer as unknown as { layers?: unknown }).layers,
  );
  if (layers.length === 0) {
    throw new InvalidOptionError(`model "${model.name}" has no layer with weights to randomise`);
  }
  return layers;
}

/**
 * `w` with its slices along axis 0 shuffled (numpy's `permutation` of an
 * array), built from the values on the CPU: tfjs-wasm's Gather keeps a rank-4
 * shape on the data of a rank-1 result, which its FusedMatMul then rejects
 * as a bias once the layer holds it.
 */
function permuteFirstAxis(w: tf.Tensor, rng: SeededRandom): tf.Tensor {
  const values = w.dataSync();
  const rows = w.shape[0];
  const slice = w.size / rows;
  const perm = rng.permutation(rows);
  const out = new Float32Array(w.size);
  for (let r = 0; r < rows; r++)
    out.set(values.subarray(perm[r] * slice, (perm[r] + 1) * slice), r * slice);
  return tf.tensor(out, w.shape, 'float32');
}

/** Model parameter randomisation test (Adebayo et al. 2018), see {@link modelParameterRandomisationValues}. */
export const modelParameterRandomisation = defineMetric<ModelParameterRandomisationOptions>(
  {
    name: 'modelParameterRandomisation',
    description:
      'model parameter randomisation (Adebayo et al. 2018; Quantus MPRT): Spearman of |map| vs the map after cascading layer randomisation, mean over layers',
    higherIsBetter: false,
    requires: ['model', 'x', 'explain'],
    defaults,
    compute: modelParameterRandomisationValues,
  },
  { replace: true },
);

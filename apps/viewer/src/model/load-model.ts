import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
// Registers GaussianSmoothing and PaperSmoothingBlock, so smoothed models deserialise.
import '@trustgrad/smoothing-layer';
import type { ResultsSource } from '../folder/results-source';

/**
 * Loads the trained model of a variant from its results folder
 * (`checkpoints/<key>/final/model.json` and its weight files, as the bench
 * saves them); null when the folder has no model for it.
 */
export async function loadVariantModel(
  source: ResultsSource,
  key: string,
): Promise<tfl.LayersModel | null> {
  const dir = `checkpoints/${key}/final`;
  const json = await source.read(`${dir}/model.json`);
  if (!json) return null;
  const artifacts = JSON.parse(new TextDecoder().decode(json)) as {
    modelTopology: object;
    weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  };
  const parts: ArrayBuffer[] = [];
  for (const group of artifacts.weightsManifest) {
    for (const path of group.paths) {
      const bytes = await source.read(`${dir}/${path}`);
      if (!bytes)
        throw new Error(`${source.label}: ${dir}/${path} is missing (named by ${dir}/model.json)`);
      parts.push(bytes);
    }
  }
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: artifacts.modelTopology,
      weightSpecs: artifacts.weightsManifest.flatMap((group) => group.weights),
      weightData: tf.io.concatenateArrayBuffers(parts),
    }),
  );
}

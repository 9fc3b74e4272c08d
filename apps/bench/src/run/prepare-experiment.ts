import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { encodePng } from '@trustgrad/attribution';
import {
  type BackendChoice,
  initBackend,
  type ProgressRenderer,
  removeStaleTemps,
  SeededRandom,
  writeAtomic,
} from '@trustgrad/core-tensor';
import { type Dataset, loadDataset } from '@trustgrad/datasets';
import type { ExperimentConfig } from '../config/schema';
import { loadPlugins } from '../plugins/load-plugins';
import type { HeatmapIndex } from '../report/render-report';
import { checkModelFitsData } from './build-model';
import { DATA_HINTS } from './dataset-defaults';
import type { EvaluationSet } from './evaluate-variant';
import { preflight } from './preflight';
import { validateRegisteredNames } from './validate-names';

/**
 * What every variant of an experiment shares: the backend, the dataset, the
 * held-out images every variant is measured on (and their curve subset), and
 * the heatmap folder with its index of input images. Built once by a local run,
 * by the grid's coordinator and by each grid worker, so all three measure the
 * same images. {@link PreparedExperiment.dispose} frees the tensors.
 */
export interface PreparedExperiment {
  out: string;
  backend: BackendChoice;
  dataset: Dataset;
  evaluation: EvaluationSet;
  /** How many test images are evaluated (`evaluation.samples`, at most the test split). */
  evaluatedImages: number;
  curveSet?: { x: tf.Tensor4D; y: tf.Tensor1D };
  heatmapDir: string;
  /** Input images and labels filled in when `writeInputs` is set; the entries are the caller's. */
  heatmapIndex: HeatmapIndex;
  dispose(): void;
}

async function openDataset(config: ExperimentConfig, progress: ProgressRenderer): Promise<Dataset> {
  const { name, path, trainLimit, testLimit, classes, remapLabels, options } = config.dataset;
  try {
    return await loadDataset(name, {
      ...options,
      ...(path ? { path } : {}),
      ...(classes ? { classes } : {}),
      ...(remapLabels !== undefined ? { remapLabels } : {}),
      limit: { train: trainLimit, test: testLimit },
      stratified: true,
      seed: config.seed,
      onProgress: (event) => progress.update({ ...event, stage: `load ${name} (${event.stage})` }),
    });
  } catch (error) {
    const hint = DATA_HINTS[name];
    if (hint && (error as Error).name === 'DatasetNotFoundError') {
      (error as Error).message += `\nTo get ${name}: ${hint}`;
    }
    throw error;
  }
}

/**
 * Starts the backend, loads plugins and the dataset, checks the config
 * against the data (preflight) and draws the evaluation images. With
 * `writeInputs` (a local run, the grid's coordinator) it also writes
 * `config.json` and the input images of the heatmap grid into `out`; a grid
 * worker leaves those to the coordinator.
 */
export async function prepareExperiment(
  config: ExperimentConfig,
  out: string,
  progress: ProgressRenderer,
  { writeInputs }: { writeInputs: boolean },
): Promise<PreparedExperiment> {
  out = resolve(out);
  mkdirSync(out, { recursive: true });
  // Half-written files of a killed run; everything else in `out` is rewritten by this one.
  if (writeInputs) removeStaleTemps(out);
  const backend = await initBackend({ log: (line) => progress.log(line) });
  await loadPlugins(config.plugins);
  validateRegisteredNames(config);
  if (writeInputs) writeAtomic(join(out, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);

  const dataset = await openDataset(config, progress);
  const dataShape = { imageShape: dataset.imageShape, numClasses: dataset.classNames.length };
  checkModelFitsData(config, dataShape);
  const nEval = Math.min(config.evaluation.samples, dataset.test.length);
  // A seeded random draw, so the evaluated (and stability) images mix every class.
  const evalPositions = new SeededRandom(config.seed)
    .permutation(dataset.test.length)
    .slice(0, nEval);
  const evalBatch = await dataset.test.gather(evalPositions);
  const evaluation: EvaluationSet = {
    x: evalBatch.x,
    y: evalBatch.y,
    mask: evalBatch.mask,
    range: dataset.range,
  };
  const disposeEvaluation = () =>
    tf.dispose([evalBatch.x, evalBatch.y, ...(evalBatch.mask ? [evalBatch.mask] : [])]);
  const firstImage = tf.slice(evaluation.x, 0, 1) as tf.Tensor4D;
  try {
    preflight(config, dataShape, firstImage);
  } catch (error) {
    disposeEvaluation();
    throw error;
  } finally {
    firstImage.dispose();
  }
  const heatmapDir = join(out, 'heatmaps');
  // Only the folder's owner clears temps: a grid worker starting must not delete another's half-written file.
  if (writeInputs) removeStaleTemps(heatmapDir);
  const heatmapIndex: HeatmapIndex = { inputs: [], labels: [], entries: [] };
  if (writeInputs)
    await writeInputImages(
      evaluation,
      config.evaluation.heatmapSamples,
      heatmapDir,
      dataset,
      evalBatch.labels,
      heatmapIndex,
    );
  const nCurve = Math.min(config.evaluation.curveSamples, nEval);
  const curveSet =
    nCurve > 0
      ? {
          x: tf.slice(evaluation.x, 0, nCurve) as tf.Tensor4D,
          y: tf.slice(evaluation.y, 0, nCurve) as tf.Tensor1D,
        }
      : undefined;
  return {
    out,
    backend,
    dataset,
    evaluation,
    evaluatedImages: nEval,
    ...(curveSet ? { curveSet } : {}),
    heatmapDir,
    heatmapIndex,
    dispose: () => {
      disposeEvaluation();
      if (curveSet) tf.dispose([curveSet.x, curveSet.y]);
    },
  };
}

async function writeInputImages(
  data: EvaluationSet,
  count: number,
  dir: string,
  dataset: Dataset,
  labels: Int32Array,
  index: HeatmapIndex,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const [, h, w, c] = data.x.shape;
  for (let i = 0; i < Math.min(count, data.x.shape[0]); i++) {
    const image = tf.tidy(() =>
      tf.slice(data.x, i, 1).reshape([h, w, c]).mul(255).clipByValue(0, 255),
    );
    const pixels = image.dataSync();
    image.dispose();
    const rgb = new Uint8Array(h * w * 3);
    for (let p = 0; p < h * w; p++)
      for (let k = 0; k < 3; k++) rgb[p * 3 + k] = pixels[p * c + (c === 3 ? k : 0)];
    const file = `input_${i}.png`;
    writeFileSync(join(dir, file), await encodePng({ width: w, height: h, data: rgb }, 3));
    index.inputs.push(`heatmaps/${file}`);
    index.labels.push(dataset.classNames[labels[i]] ?? String(labels[i]));
  }
}

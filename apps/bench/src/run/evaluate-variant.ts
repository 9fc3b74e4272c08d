import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { pgdLinf } from '@trustgrad/adversarial-trainer';
import { explain, renderHeatmap } from '@trustgrad/attribution';
import { mixSeed, SeededRandom } from '@trustgrad/core-tensor';
import {
  type AttackFn,
  type Explainer,
  evaluateMetric,
  evaluateRelativeStabilities,
  type MetricContext,
  type MetricResult,
  metricRegistry,
  type RelativeStabilityName,
} from '@trustgrad/metrics';
import type { ExperimentConfig } from '../config/schema';
import type { ProgressReporter } from '../progress/progress-reporter';

/** The test images a variant is measured on (the same for every variant). */
export interface EvaluationSet {
  x: tf.Tensor4D;
  y: tf.Tensor1D;
  mask?: tf.Tensor4D;
  range: readonly [number, number];
}

/** Per explainer: metric results keyed by contract name. */
export type VariantMeasurements = Record<string, Record<string, MetricResult>>;

/** Metrics that describe the model, computed once and repeated on each explainer's row. */
const MODEL_METRICS = new Set(['cleanAcc', 'robustAcc']);
/** The relative stability metrics, computed together in one pass. */
const STABILITY_METRICS = ['ris', 'ros', 'rrs'] as const;
/** Metrics run on the (smaller) stability subset because each sample costs many explanations. */
const COSTLY_METRICS = new Set([
  'ris',
  'ros',
  'rrs',
  'maxSensitivity',
  'infidelity',
  'curvature',
  'explanationConsistency',
  'advClassRetrieval',
]);

/**
 * Measures one trained variant: model metrics on all evaluation images, then
 * for each explainer its maps on those images and every requested metric
 * (stability-type metrics on the first `stabilitySamples` images). Writes the
 * heatmaps of the first `heatmapSamples` images to `heatmapDir`.
 */
export async function evaluateVariant(
  config: ExperimentConfig,
  model: tfl.LayersModel,
  data: EvaluationSet,
  eps: number,
  heatmap: { dir: string; prefix: string },
  progress: ProgressReporter,
  stage: string,
): Promise<{ measurements: VariantMeasurements; heatmapFiles: Record<string, string[]> }> {
  const { evaluation, seed } = config;
  const batchSize = evaluation.batchSize;
  const attack: AttackFn = (m, x, y) =>
    pgdLinf.run(m as tfl.LayersModel, x, y, {
      eps,
      steps: config.attack.evalSteps,
      stepSize: (config.attack.stepFactor * eps) / config.attack.evalSteps,
      randomStart: true,
      range: data.range,
      rng: new SeededRandom(mixSeed(seed, 'robust-accuracy')),
    });
  const n = data.x.shape[0];
  const nStable = Math.min(evaluation.stabilitySamples, n);
  const stableX = tf.slice(data.x, 0, nStable) as tf.Tensor4D;
  const stableY = tf.slice(data.y, 0, nStable) as tf.Tensor1D;
  // Every per-sample input of a costly metric is cut to the same first `nStable` images.
  const stableMask = data.mask ? (tf.slice(data.mask, 0, nStable) as tf.Tensor4D) : undefined;
  const requested = config.metrics.filter((name) => metricRegistry.has(name));
  const total =
    requested.filter((m) => MODEL_METRICS.has(m)).length +
    config.explainers.length * requested.filter((m) => !MODEL_METRICS.has(m)).length;
  let done = 0;
  const tick = (what: string) =>
    progress.update({ stage, done: ++done, total, details: { metric: what } });

  const modelResults: Record<string, MetricResult> = {};
  for (const name of requested.filter((m) => MODEL_METRICS.has(m))) {
    modelResults[name] = await evaluateMetric(name, {
      model,
      x: data.x,
      y: data.y,
      attack,
      batchSize,
      seed,
      dataRange: [...data.range] as [number, number],
    });
    tick(name);
  }

  const measurements: VariantMeasurements = {};
  const heatmapFiles: Record<string, string[]> = {};
  try {
    for (const explainer of config.explainers) {
      const options = config.explainerOptions[explainer] ?? {};
      const method = explainer;
      const explainFn: Explainer = (x, target) =>
        explain(method, model, x, {
          ...options,
          batchSize,
          ...(target ? { target } : {}),
        }) as tf.Tensor4D;
      const explanations = explain(method, model, data.x, { ...options, batchSize }) as tf.Tensor4D;
      const results: Record<string, MetricResult> = { ...modelResults };
      try {
        const contextFor = (costly: boolean, maps: tf.Tensor4D): MetricContext => ({
          model,
          x: costly ? stableX : data.x,
          y: costly ? stableY : data.y,
          explanations: maps,
          explain: explainFn,
          mask: costly ? stableMask : data.mask,
          attack,
          representation: evaluation.representationLayer,
          batchSize,
          seed,
          dataRange: [...data.range] as [number, number],
        });
        const stableMaps = tf.slice(explanations, 0, nStable) as tf.Tensor4D;
        try {
          // RIS, ROS and RRS share one pass: each perturbed copy is explained once, not three times.
          const stabilityNames = requested.filter((m): m is RelativeStabilityName =>
            (STABILITY_METRICS as readonly string[]).includes(m),
          );
          if (stabilityNames.length > 0) {
            const stability = await evaluateRelativeStabilities(
              contextFor(true, stableMaps),
              { perturbations: evaluation.perturbations },
              stabilityNames,
            );
            for (const name of stabilityNames) {
              results[name] = stability[name];
              tick(`${explainer}/${name}`);
            }
          }
          for (const name of requested.filter(
            (m) => !MODEL_METRICS.has(m) && !stabilityNames.includes(m as RelativeStabilityName),
          )) {
            const costly = COSTLY_METRICS.has(name);
            results[name] = await evaluateMetric(
              name,
              contextFor(costly, costly ? stableMaps : explanations),
            );
            tick(`${explainer}/${name}`);
          }
        } finally {
          stableMaps.dispose();
        }
        heatmapFiles[explainer] = await writeHeatmaps(
          explanations,
          evaluation.heatmapSamples,
          heatmap.dir,
          `${heatmap.prefix}_${explainer}`,
        );
      } finally {
        explanations.dispose();
      }
      measurements[explainer] = results;
    }
  } finally {
    tf.dispose([stableX, stableY, ...(stableMask ? [stableMask] : [])]);
  }
  return { measurements, heatmapFiles };
}

/** Writes one PNG per image: |attribution|, channel-summed, normalised, viridis. */
async function writeHeatmaps(
  explanations: tf.Tensor4D,
  count: number,
  dir: string,
  prefix: string,
): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < Math.min(count, explanations.shape[0]); i++) {
    const one = tf.slice(explanations, i, 1);
    try {
      const png = await renderHeatmap(one, {
        colormap: 'inferno',
        reduce: 'abs-sum',
        percentile: 99,
        scale: 3,
      });
      const file = `${prefix}_${i}.png`;
      writeFileSync(join(dir, file), png);
      files.push(`heatmaps/${file}`);
    } finally {
      one.dispose();
    }
  }
  return files;
}

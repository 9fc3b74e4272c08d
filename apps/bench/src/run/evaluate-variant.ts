import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { explain, renderHeatmap } from '@trustgrad/attribution';
import type { ProgressRenderer } from '@trustgrad/core-tensor';
import {
  type AnyMetric,
  type AttackFn,
  type Explainer,
  evaluateRelativeStabilities,
  type MetricContext,
  type MetricResult,
  metricRegistry,
  type RelativeStabilityName,
} from '@trustgrad/metrics';
import type { ExperimentConfig } from '../config/schema';
import { metricOptions, metricPlan } from './metric-plan';

/** The test images a variant is measured on (the same for every variant). */
export interface EvaluationSet {
  x: tf.Tensor4D;
  y: tf.Tensor1D;
  mask?: tf.Tensor4D;
  range: readonly [number, number];
}

/** Per explainer: metric results keyed by contract name. */
export type VariantMeasurements = Record<string, Record<string, MetricResult>>;

/** The relative stability metrics, computed together in one pass when their options agree. */
const STABILITY_METRICS = ['ris', 'ros', 'rrs'] as const;

/**
 * Measures one trained variant: the model metrics once, then for each
 * explainer its maps on the evaluation images and every other requested
 * metric; costly metrics ({@link metricPlan}) run on the first
 * `stabilitySamples` images, every input (x, y, mask) cut to them. Each metric
 * gets {@link metricOptions}. Writes the heatmaps of the first
 * `heatmapSamples` images to `heatmap.dir`.
 */
export async function evaluateVariant(
  config: ExperimentConfig,
  model: tfl.LayersModel,
  data: EvaluationSet,
  attack: { fn: AttackFn },
  heatmap: { dir: string; prefix: string },
  progress: ProgressRenderer,
  stage: string,
): Promise<{ measurements: VariantMeasurements; heatmapFiles: Record<string, string[]> }> {
  const { evaluation, seed } = config;
  const batchSize = evaluation.batchSize;
  const n = data.x.shape[0];
  const nStable = Math.min(evaluation.stabilitySamples, n);
  const stable = {
    x: tf.slice(data.x, 0, nStable) as tf.Tensor4D,
    y: tf.slice(data.y, 0, nStable) as tf.Tensor1D,
    mask: data.mask ? (tf.slice(data.mask, 0, nStable) as tf.Tensor4D) : undefined,
  };
  const metrics = config.metrics.map((name) => metricRegistry.get(name));
  const plans = new Map(metrics.map((m) => [m.name, metricPlan(m)]));
  const optionsOf = (m: AnyMetric) => metricOptions(config, m, data.range);
  const perModel = metrics.filter((m) => plans.get(m.name)!.perModel);
  const perExplainer = metrics.filter((m) => !plans.get(m.name)!.perModel);
  const total = perModel.length + config.explainers.length * perExplainer.length;
  let done = 0;
  const tick = (what: string) =>
    progress.update({ stage, done: ++done, total, details: { metric: what } });
  const contextFor = (costly: boolean, extra: Partial<MetricContext> = {}): MetricContext => ({
    model,
    ...(costly ? stable : { x: data.x, y: data.y, mask: data.mask }),
    attack: attack.fn,
    representation: evaluation.representationLayer,
    batchSize,
    seed,
    dataRange: [...data.range] as [number, number],
    ...extra,
  });

  const measurements: VariantMeasurements = {};
  const heatmapFiles: Record<string, string[]> = {};
  try {
    const modelResults: Record<string, MetricResult> = {};
    for (const metric of perModel) {
      modelResults[metric.name] = await metric.evaluate(
        contextFor(plans.get(metric.name)!.costly),
        optionsOf(metric),
      );
      tick(metric.name);
    }
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
      const stableMaps = tf.slice(explanations, 0, nStable) as tf.Tensor4D;
      const results: Record<string, MetricResult> = { ...modelResults };
      try {
        const mapsFor = (costly: boolean) =>
          contextFor(costly, {
            explanations: costly ? stableMaps : explanations,
            explain: explainFn,
          });
        // RIS, ROS and RRS with the same options share one pass: each perturbed copy is explained once.
        const stability = perExplainer.filter((m) =>
          (STABILITY_METRICS as readonly string[]).includes(m.name),
        );
        const groups = new Map<string, RelativeStabilityName[]>();
        for (const m of stability) {
          const key = JSON.stringify(optionsOf(m));
          groups.set(key, [...(groups.get(key) ?? []), m.name as RelativeStabilityName]);
        }
        for (const [key, names] of groups) {
          const computed = await evaluateRelativeStabilities(mapsFor(true), JSON.parse(key), names);
          for (const name of names) {
            results[name] = computed[name];
            tick(`${explainer}/${name}`);
          }
        }
        for (const metric of perExplainer.filter((m) => !stability.includes(m))) {
          results[metric.name] = await metric.evaluate(
            mapsFor(plans.get(metric.name)!.costly),
            optionsOf(metric),
          );
          tick(`${explainer}/${metric.name}`);
        }
        heatmapFiles[explainer] = await writeHeatmaps(
          explanations,
          evaluation.heatmapSamples,
          heatmap.dir,
          `${heatmap.prefix}_${explainer}`,
        );
      } finally {
        tf.dispose([explanations, stableMaps]);
      }
      measurements[explainer] = results;
    }
  } finally {
    tf.dispose([stable.x, stable.y, ...(stable.mask ? [stable.mask] : [])]);
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

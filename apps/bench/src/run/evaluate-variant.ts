import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { explain, renderHeatmap } from '@trustgrad/attribution';
import type { ProgressRenderer } from '@trustgrad/core-tensor';
import {
  type AnyMetric,
  type AttackFn,
  correctlyClassified,
  type Explainer,
  evaluateRelativeStabilities,
  type MetricContext,
  type MetricResult,
  MetricUndefinedError,
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

/** How many evaluated images an explainer's metrics ran on. */
export interface MeasuredSamples {
  evaluated: number;
  measured: number;
  correctlyClassifiedOnly: boolean;
}

/** Per explainer: metric results keyed by contract name. */
export type VariantMeasurements = Record<string, Record<string, MetricResult>>;

/** The relative stability metrics, computed together in one pass when their options agree. */
const STABILITY_METRICS = ['ris', 'ros', 'rrs'] as const;

/**
 * Measures one trained variant: the model metrics once, then for each
 * explainer its maps on the evaluation images and every other requested
 * metric; costly metrics ({@link metricPlan}) run on the first
 * `stabilitySamples` images, every input (x, y, mask) cut to them. With
 * `evaluation.correctlyClassified` the explanation metrics see only the
 * images this model classifies correctly (the FMS authors' rule). Each metric
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
): Promise<{
  measurements: VariantMeasurements;
  heatmapFiles: Record<string, string[]>;
  measured: Record<string, MeasuredSamples>;
}> {
  const { evaluation, seed } = config;
  const batchSize = evaluation.batchSize;
  const metrics = config.metrics.map((name) => metricRegistry.get(name));
  const plans = new Map(metrics.map((m) => [m.name, metricPlan(m)]));
  const optionsOf = (m: AnyMetric) => metricOptions(config, m, data.range);
  const perModel = metrics.filter((m) => plans.get(m.name)!.perModel);
  const perExplainer = metrics.filter((m) => !plans.get(m.name)!.perModel);
  const total = perModel.length + config.explainers.length * perExplainer.length;
  let done = 0;
  const tick = (what: string) =>
    progress.update({ stage, done: ++done, total, details: { metric: what } });
  // The images the explanation metrics see: all, or (the FMS authors' rule) those this model gets right.
  const kept = evaluation.correctlyClassified
    ? await correctlyClassified({ model, x: data.x, y: data.y, mask: data.mask, batchSize })
    : null;
  if (kept && kept.index.length === 0) {
    kept.dispose();
    throw new MetricUndefinedError(
      `${stage}: the model classifies none of the ${data.x.shape[0]} evaluated images correctly, so no explanation metric has a sample (evaluation.correctlyClassified is on); train longer or evaluate more images`,
    );
  }
  const measuredSet = kept
    ? { x: kept.ctx.x!, y: kept.ctx.y!, mask: kept.ctx.mask as tf.Tensor4D | undefined }
    : { x: data.x, y: data.y, mask: data.mask };
  const n = measuredSet.x.shape[0];
  const nStable = Math.min(evaluation.stabilitySamples, n);
  const cut = (set: { x: tf.Tensor4D; y: tf.Tensor1D; mask?: tf.Tensor4D }, count: number) => ({
    x: tf.slice(set.x, 0, count) as tf.Tensor4D,
    y: tf.slice(set.y, 0, count) as tf.Tensor1D,
    mask: set.mask ? (tf.slice(set.mask, 0, count) as tf.Tensor4D) : undefined,
  });
  // Costly model metrics (curvature) run on the first images of the whole set, the costly explanation metrics on the measured set's.
  const stableAll = cut(data, Math.min(evaluation.stabilitySamples, data.x.shape[0]));
  const stable = cut(measuredSet, nStable);
  const base = {
    model,
    attack: attack.fn,
    representation: evaluation.representationLayer,
    batchSize,
    seed,
    dataRange: [...data.range] as [number, number],
  };
  const modelContext = (costly: boolean): MetricContext => ({
    ...base,
    ...(costly ? stableAll : { x: data.x, y: data.y, mask: data.mask }),
  });
  const contextFor = (costly: boolean, extra: Partial<MetricContext> = {}): MetricContext => ({
    ...base,
    ...(costly ? stable : measuredSet),
    ...extra,
  });

  const measurements: VariantMeasurements = {};
  const heatmapFiles: Record<string, string[]> = {};
  const measured: Record<string, MeasuredSamples> = {};
  try {
    const modelResults: Record<string, MetricResult> = {};
    for (const metric of perModel) {
      modelResults[metric.name] = await orUndefined(metric, () =>
        metric.evaluate(modelContext(plans.get(metric.name)!.costly), optionsOf(metric)),
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
      // Every evaluated image is explained (the heatmap grid shows the first ones); the metrics get the measured set's maps.
      const explanations = explain(method, model, data.x, { ...options, batchSize }) as tf.Tensor4D;
      const measuredMaps = kept
        ? (tf.tidy(() => tf.gather(explanations, tf.tensor1d(kept.index, 'int32'))) as tf.Tensor4D)
        : explanations;
      const stableMaps = tf.slice(measuredMaps, 0, nStable) as tf.Tensor4D;
      const results: Record<string, MetricResult> = { ...modelResults };
      try {
        const mapsFor = (costly: boolean) =>
          contextFor(costly, {
            explanations: costly ? stableMaps : measuredMaps,
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
          const computed = await evaluateRelativeStabilities(
            mapsFor(true),
            JSON.parse(key),
            names,
          ).catch((error) => {
            if (!(error instanceof MetricUndefinedError)) throw error;
            return Object.fromEntries(names.map((name) => [name, undefinedResult(name, error)]));
          });
          for (const name of names) {
            results[name] = computed[name];
            tick(`${explainer}/${name}`);
          }
        }
        for (const metric of perExplainer.filter((m) => !stability.includes(m))) {
          results[metric.name] = await orUndefined(metric, () =>
            metric.evaluate(mapsFor(plans.get(metric.name)!.costly), optionsOf(metric)),
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
        tf.dispose([
          explanations,
          stableMaps,
          ...(measuredMaps !== explanations ? [measuredMaps] : []),
        ]);
      }
      measurements[explainer] = results;
      measured[explainer] = {
        evaluated: data.x.shape[0],
        measured: n,
        correctlyClassifiedOnly: Boolean(kept),
      };
    }
  } finally {
    for (const set of [stable, stableAll])
      tf.dispose([set.x, set.y, ...(set.mask ? [set.mask] : [])]);
    kept?.dispose();
  }
  return { measurements, heatmapFiles, measured };
}

/**
 * A metric that has no value on this model (a {@link MetricUndefinedError}:
 * e.g. every sample's perturbed copies change its class) is reported as NaN
 * with the reason in `extra.undefined`, so one such metric does not end a
 * run of hours; the table shows it as "–" and the reason is in results.json.
 */
async function orUndefined(
  metric: AnyMetric,
  run: () => Promise<MetricResult>,
): Promise<MetricResult> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof MetricUndefinedError) return undefinedResult(metric.name, error);
    throw error;
  }
}

function undefinedResult(name: string, error: Error): MetricResult {
  const metric = metricRegistry.get(name);
  return {
    name,
    values: [],
    mean: Number.NaN,
    ci: [Number.NaN, Number.NaN],
    higherIsBetter: metric.higherIsBetter,
    extra: { undefined: error.message },
  };
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

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { encodePng } from '@trustgrad/attribution';
import {
  createProgressRenderer,
  initBackend,
  type ProgressRenderer,
  removeStaleTemps,
  SeededRandom,
  writeAtomic,
} from '@trustgrad/core-tensor';
import { type Dataset, loadDataset } from '@trustgrad/datasets';
import { metricRegistry } from '@trustgrad/metrics';
import type { ExperimentConfig } from '../config/schema';
import { loadPlugins } from '../plugins/load-plugins';
import { type HeatmapIndex, renderReport } from '../report/render-report';
import type { ResultRow, Results } from '../results/results-types';
import { writeResults } from '../results/write-results';
import { aggregateSeeds } from './aggregate-seeds';
import { attackSetting, evaluationAttack } from './attack-settings';
import { checkModelFitsData } from './build-model';
import { DATA_HINTS } from './dataset-defaults';
import { type EvaluationSet, evaluateVariant } from './evaluate-variant';
import { checkPaperDirections } from './findings';
import { preflight } from './preflight';
import { type EpochPoint, trainVariant } from './train-variant';
import { validateRegisteredNames } from './validate-names';
import { labelOfVariant, variantConfig } from './variant-config';
import { variantKey } from './variant-key';

/** Options of {@link runExperiment}. */
export interface RunOptions {
  out: string;
  resume?: boolean;
  progress?: ProgressRenderer;
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
 * Runs an experiment: trains (or loads from the checkpoint cache) every
 * variant, explains the same held-out images with every explainer, computes
 * every metric and writes the results folder of SPEC 4.1 with `report.html`.
 */
export async function runExperiment(
  config: ExperimentConfig,
  options: RunOptions,
): Promise<Results> {
  const progress = options.progress ?? createProgressRenderer();
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  // Half-written files of a killed run; everything else in `out` is rewritten by this one.
  removeStaleTemps(out);
  const started = Date.now();
  const backend = await initBackend({ log: (line) => progress.log(line) });
  await loadPlugins(config.plugins);
  validateRegisteredNames(config);
  writeAtomic(join(out, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);

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
  const firstImage = tf.slice(evaluation.x, 0, 1) as tf.Tensor4D;
  try {
    preflight(config, dataShape, firstImage);
  } catch (error) {
    tf.dispose([evalBatch.x, evalBatch.y, ...(evalBatch.mask ? [evalBatch.mask] : [])]);
    throw error;
  } finally {
    firstImage.dispose();
  }
  const heatmapDir = join(out, 'heatmaps');
  removeStaleTemps(heatmapDir);
  const heatmapIndex: HeatmapIndex = { inputs: [], labels: [], entries: [] };
  await writeInputImages(
    evaluation,
    config.evaluation.heatmapSamples,
    heatmapDir,
    dataset,
    evalBatch.labels,
    heatmapIndex,
  );

  const timings: Record<string, number> = {};
  const curves: Record<string, EpochPoint[]> = {};
  const nCurve = Math.min(config.evaluation.curveSamples, nEval);
  const curveSet =
    nCurve > 0
      ? {
          x: tf.slice(evaluation.x, 0, nCurve) as tf.Tensor4D,
          y: tf.slice(evaluation.y, 0, nCurve) as tf.Tensor1D,
        }
      : undefined;
  const seeds = config.seeds ?? [config.seed];
  const perSeed: ResultRow[][] = [];
  const n = config.variants.length;
  try {
    for (const seed of seeds) {
      // Each seed retrains every variant (its weights, data order, attacks and metric draws); the evaluated images stay the
      // same (drawn with `config.seed`): a paired comparison, and what a protocol with a fixed test subset does.
      const seeded: ExperimentConfig = { ...config, seed };
      const rows: ResultRow[] = [];
      const seedTag = seeds.length > 1 ? ` seed ${seed}` : '';
      perSeed.push(rows);
      for (const [i, variant] of config.variants.entries()) {
        const run = variantConfig(seeded, variant);
        const label = labelOfVariant(variant);
        const key = variantKey(run, variant);
        const trained = await trainVariant(run, variant, dataset, join(out, 'checkpoints', key), {
          resume: options.resume ?? false,
          progress,
          stage: `train ${i + 1}/${n} ${label}${seedTag}`,
          ...(curveSet ? { curveSet } : {}),
        });
        timings[`train ${label}${seedTag}`] = trained.seconds;
        curves[`${label}${seedTag}`] = trained.curve;
        const evalStart = Date.now();
        try {
          const { measurements, heatmapFiles, measured } = await evaluateVariant(
            run,
            trained.model,
            evaluation,
            evaluationAttack(run, dataset.range),
            { dir: heatmapDir, prefix: key },
            progress,
            `evaluate ${i + 1}/${n} ${label}${seedTag}`,
          );
          for (const explainer of config.explainers) {
            const results = measurements[explainer];
            const row: ResultRow = {
              training: variant.training,
              smoothing: variant.smoothing,
              explainer,
              label,
              objectiveOptions: variant.options,
              ...(variant.smoothing
                ? {
                    block: config.smoothing.block ?? 'gaussian',
                    smoothingOptions: { ...config.smoothing },
                  }
                : {}),
              attack: rowAttacks(run, variant.training),
              eps: rowEps(run, variant.training),
              metrics: {},
              ci: {},
              log10: {},
            };
            // Columns follow the config's metric order.
            for (const name of config.metrics.filter((m) => m in results)) {
              const result = results[name];
              row.metrics[name] = result.mean;
              row.ci![name] = result.ci;
              const log10 = result.extra?.log10 as { mean: number } | undefined;
              if (log10) row.log10![name] = log10.mean;
              const summary = metricSummary(result.extra);
              if (summary) row.extra = { ...row.extra, [name]: summary };
            }
            if (measured[explainer]) row.samples = measured[explainer];
            rows.push(row);
            // The grid shows the first seed's maps; the other seeds' files stay under heatmaps/.
            if (seed === seeds[0])
              heatmapIndex.entries.push({
                variant: label,
                explainer,
                files: heatmapFiles[explainer] ?? [],
              });
          }
        } finally {
          trained.model.dispose();
        }
        timings[`evaluate ${label}${seedTag}`] = (Date.now() - evalStart) / 1000;
      }
    }
  } finally {
    tf.dispose([evalBatch.x, evalBatch.y, ...(evalBatch.mask ? [evalBatch.mask] : [])]);
    if (curveSet) tf.dispose([curveSet.x, curveSet.y]);
  }

  const rows = perSeed.length > 1 ? aggregateSeeds(perSeed) : perSeed[0];
  const results: Results = {
    preset: config.preset,
    dataset: config.dataset.name,
    backend: backend.name,
    seed: config.seed,
    ...(config.seeds ? { seeds: config.seeds } : {}),
    rows,
    model: config.model.name,
    evaluation: {
      images: nEval,
      seed: config.seed,
      correctlyClassifiedOnly: config.evaluation.correctlyClassified,
    },
    metricDefinitions: Object.fromEntries(
      config.metrics.map((name) => {
        const metric = metricRegistry.get(name);
        return [name, { description: metric.description, higherIsBetter: metric.higherIsBetter }];
      }),
    ),
    // Across seeds the findings compare seed-level CIs: the spread of retraining, not of the test images.
    findings: checkPaperDirections(rows.map((r) => (r.seedCi ? { ...r, ci: r.seedCi } : r))),
  };
  timings.total = (Date.now() - started) / 1000;
  writeResults(out, results);
  writeAtomic(join(heatmapDir, 'index.json'), JSON.stringify(heatmapIndex, null, 2));
  // Timings vary run to run, so they live beside results.json, keeping it reproducible under a seed.
  writeAtomic(join(out, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
  writeAtomic(join(out, 'curves.json'), `${JSON.stringify(curves, null, 2)}\n`);
  await renderReport(out);
  return results;
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

/**
 * The figures of a metric's `extra` that summarise the whole row (not per
 * sample): ROS's `log10Mean` (the FMS authors' log10 of the mean) and
 * `log10MeanOverBatches`, SSIM's per-σ `bySigma`, and why a metric had no
 * value on the model (`undefined`).
 */
const SUMMARY_EXTRAS = ['log10Mean', 'log10MeanOverBatches', 'bySigma', 'undefined'] as const;

function metricSummary(extra: Record<string, unknown> | undefined): Record<string, unknown> | null {
  if (!extra) return null;
  const kept = SUMMARY_EXTRAS.filter((k) => extra[k] !== undefined).map((k) => [k, extra[k]]);
  return kept.length ? Object.fromEntries(kept) : null;
}

/** The ε of a row's attacks: training (adversarial objectives only) and evaluation. */
function rowEps(config: ExperimentConfig, training: string): NonNullable<ResultRow['eps']> {
  return {
    ...(training === 'standard' ? {} : { train: attackSetting(config, 'train').options.eps }),
    eval: attackSetting(config, 'eval').options.eps,
  };
}

/** The attacks behind a row: the training attack (not for standard training, which attacks nothing) and the evaluation attack. */
function rowAttacks(config: ExperimentConfig, training: string): NonNullable<ResultRow['attack']> {
  return {
    ...(training === 'standard' ? {} : { train: attackSetting(config, 'train') }),
    eval: attackSetting(config, 'eval'),
  };
}

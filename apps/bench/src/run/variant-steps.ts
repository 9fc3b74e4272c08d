import { join } from 'node:path';
import type { ProgressRenderer } from '@trustgrad/core-tensor';
import type { ExperimentConfig } from '../config/schema';
import type { ResultRow } from '../results/results-types';
import { attackSetting, evaluationAttack } from './attack-settings';
import { evaluateVariant } from './evaluate-variant';
import type { PreparedExperiment } from './prepare-experiment';
import { type EpochPoint, type TrainedVariant, trainVariant } from './train-variant';
import { labelOfVariant, variantConfig } from './variant-config';
import { type Variant, variantKey } from './variant-key';

/**
 * One cell of an experiment's grid: variant `index` of `config.variants`
 * trained and measured with `seed`. A local run walks the cells in order; the
 * distributed grid turns each into a train job and an evaluate job. Both go
 * through {@link trainStep} and {@link evaluateStep}, so they compute the same bytes.
 */
export interface VariantCell {
  /** The experiment's config with `seed` set to this cell's seed and the variant's own settings applied ({@link variantConfig}). */
  run: ExperimentConfig;
  variant: Variant;
  label: string;
  /** The variant's checkpoint folder name and heatmap file prefix. */
  key: string;
  /** ` seed 3` when the experiment has several seeds, else empty: the suffix of its timing and curve names. */
  seedTag: string;
  /** `train 2/4 AT+FMS seed 3`-style stage names. */
  stage: (kind: 'train' | 'evaluate') => string;
}

/** The cell of variant `index` under `seed`. */
export function variantCell(config: ExperimentConfig, seed: number, index: number): VariantCell {
  const seeds = config.seeds ?? [config.seed];
  // Each seed retrains every variant (its weights, data order, attacks and metric draws); the evaluated images stay the
  // same (drawn with `config.seed`): a paired comparison, and what a protocol with a fixed test subset does.
  const seeded: ExperimentConfig = { ...config, seed };
  const variant = config.variants[index];
  const run = variantConfig(seeded, variant);
  const label = labelOfVariant(variant);
  const seedTag = seeds.length > 1 ? ` seed ${seed}` : '';
  const n = config.variants.length;
  return {
    run,
    variant,
    label,
    key: variantKey(run, variant),
    seedTag,
    stage: (kind) => `${kind} ${index + 1}/${n} ${label}${seedTag}`,
  };
}

/** What a measured cell contributes to the results folder. */
export interface VariantOutcome {
  /** One row per explainer, in the config's explainer order. */
  rows: ResultRow[];
  /** Per explainer: its heatmap files, relative to the results folder. */
  heatmapFiles: Record<string, string[]>;
  trainSeconds: number;
  evaluateSeconds: number;
  curve: EpochPoint[];
}

/** Trains the cell's variant into `out/checkpoints/<key>` (or loads it when finished there). */
export function trainStep(
  prepared: PreparedExperiment,
  cell: VariantCell,
  options: { resume: boolean; progress: ProgressRenderer },
): Promise<TrainedVariant> {
  return trainVariant(
    cell.run,
    cell.variant,
    prepared.dataset,
    join(prepared.out, 'checkpoints', cell.key),
    {
      resume: options.resume,
      progress: options.progress,
      stage: cell.stage('train'),
      ...(prepared.curveSet ? { curveSet: prepared.curveSet } : {}),
    },
  );
}

/** Measures a trained variant on the shared evaluation images; its heatmaps go to `out/heatmaps`. */
export async function evaluateStep(
  prepared: PreparedExperiment,
  cell: VariantCell,
  trained: TrainedVariant,
  progress: ProgressRenderer,
): Promise<VariantOutcome> {
  const { run, variant, label } = cell;
  const evalStart = Date.now();
  const { measurements, heatmapFiles, measured } = await evaluateVariant(
    run,
    trained.model,
    prepared.evaluation,
    evaluationAttack(run, prepared.dataset.range),
    { dir: prepared.heatmapDir, prefix: cell.key },
    progress,
    cell.stage('evaluate'),
  );
  const rows: ResultRow[] = [];
  for (const explainer of run.explainers) {
    const results = measurements[explainer];
    const row: ResultRow = {
      training: variant.training,
      smoothing: variant.smoothing,
      explainer,
      label,
      objectiveOptions: variant.options,
      ...(variant.smoothing
        ? {
            block: run.smoothing.block ?? 'gaussian',
            smoothingOptions: { ...run.smoothing },
          }
        : {}),
      attack: rowAttacks(run, variant.training),
      eps: rowEps(run, variant.training),
      metrics: {},
      ci: {},
      log10: {},
    };
    // Columns follow the config's metric order.
    for (const name of run.metrics.filter((m) => m in results)) {
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
  }
  return {
    rows,
    heatmapFiles,
    trainSeconds: trained.seconds,
    evaluateSeconds: (Date.now() - evalStart) / 1000,
    curve: trained.curve,
  };
}

/** The attacks behind a row: the training attack (not for standard training, which attacks nothing) and the evaluation attack. */
function rowAttacks(config: ExperimentConfig, training: string): NonNullable<ResultRow['attack']> {
  return {
    ...(training === 'standard' ? {} : { train: attackSetting(config, 'train') }),
    eval: attackSetting(config, 'eval'),
  };
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

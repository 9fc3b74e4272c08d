import { resolve } from 'node:path';
import { createProgressRenderer, type ProgressRenderer } from '@trustgrad/core-tensor';
import type { ExperimentConfig } from '../config/schema';
import type { Results } from '../results/results-types';
import { prepareExperiment } from './prepare-experiment';
import { evaluateStep, trainStep, type VariantOutcome, variantCell } from './variant-steps';
import { writeExperiment } from './write-experiment';

/** Options of {@link runExperiment}. */
export interface RunOptions {
  out: string;
  resume?: boolean;
  progress?: ProgressRenderer;
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
  const started = Date.now();
  const prepared = await prepareExperiment(config, out, progress, { writeInputs: true });
  const seeds = config.seeds ?? [config.seed];
  const outcomes: VariantOutcome[][] = [];
  try {
    for (const seed of seeds) {
      const cells: VariantOutcome[] = [];
      outcomes.push(cells);
      for (const i of config.variants.keys()) {
        const cell = variantCell(config, seed, i);
        const trained = await trainStep(prepared, cell, {
          resume: options.resume ?? false,
          progress,
        });
        try {
          cells.push(await evaluateStep(prepared, cell, trained, progress));
        } finally {
          trained.model.dispose();
        }
      }
    }
  } finally {
    prepared.dispose();
  }
  return writeExperiment(config, out, {
    backendName: prepared.backend.name,
    evaluatedImages: prepared.evaluatedImages,
    heatmapIndex: prepared.heatmapIndex,
    outcomes,
    totalSeconds: (Date.now() - started) / 1000,
  });
}

import * as tf from '@tensorflow/tfjs-core';
import {
  ATTACK_OPTION_KEYS,
  attackRegistry,
  createOptimizer,
  objectiveRegistry,
  resolveObjectiveOptions,
} from '@trustgrad/adversarial-trainer';
import { explain } from '@trustgrad/attribution';
import { findLayer, resolveOptions, TrustgradError } from '@trustgrad/core-tensor';
import { metricRegistry } from '@trustgrad/metrics';
import type { ExperimentConfig } from '../config/schema';
import { attackSetting } from './attack-settings';
import { buildModel, type DataShape } from './build-model';
import { learningRate, optimizerOf } from './train-variant';
import { labelOfVariant, variantConfig } from './variant-config';

/** A config that validates but cannot run: found before any variant trains. */
export class PreflightError extends TrustgradError {
  override name = 'PreflightError';
}

/**
 * Everything the run can check before the first variant trains, so a mistake
 * costs seconds, not the training of every variant before it:
 * - every variant's objective options, and under its own settings
 *   (`variants[i].attack` / `.trainer` over the run's) both attacks' options
 *   (unknown keys), its optimiser and its learning-rate schedule;
 * - every model the run builds (with and without the smoothing block), which
 *   checks `smoothing.after` and the block's options;
 * - the representation layer, where a requested metric needs one (RRS);
 * - every explainer with its options, run once on one evaluation image of
 *   each built model (catches a misspelt option or a missing Grad-CAM layer).
 * Each failure is a {@link PreflightError} naming what failed and where.
 */
export function preflight(config: ExperimentConfig, data: DataShape, oneImage: tf.Tensor4D): void {
  for (const [i, variant] of config.variants.entries()) {
    const objective = objectiveRegistry.get(variant.training);
    checked(`variants[${i}].options`, () => resolveObjectiveOptions(objective, variant.options));
    // Each variant runs under its own attack and training settings (variants[i].attack / .trainer over the run's).
    const run = variantConfig(config, variant);
    const where = (what: string) =>
      variant.attack || variant.trainer
        ? `variants[${i}] (${labelOfVariant(variant)}): ${what}`
        : what;
    for (const phase of ['train', 'eval'] as const) {
      checked(where(`attack.${phase}`), () => {
        const setting = attackSetting(run, phase);
        const attack = attackRegistry.get(setting.name);
        resolveOptions(
          `attack "${attack.name}"`,
          attack.defaults,
          setting.options,
          ATTACK_OPTION_KEYS,
        );
      });
    }
    checked(where('training.optimizer'), () =>
      createOptimizer(optimizerOf(run), run.training.learningRate).dispose(),
    );
    checked(where('training.schedule'), () =>
      learningRate(run).rate({ step: 0, stepsPerEpoch: 1, totalSteps: 1 }),
    );
  }
  const needsRepresentation = config.metrics.some((name) =>
    metricRegistry.get(name).requires.includes('representation'),
  );
  const smoothingKinds = [...new Set(config.variants.map((v) => v.smoothing))];
  for (const smoothing of smoothingKinds) {
    const where = smoothing ? 'the model with the smoothing block (smoothing.*)' : 'the model';
    const model = checked(where, () => buildModel(config, smoothing, data));
    try {
      if (needsRepresentation) {
        checked('evaluation.representationLayer', () =>
          findLayer(model, config.evaluation.representationLayer),
        );
      }
      for (const explainer of config.explainers) {
        const options = config.explainerOptions[explainer] ?? {};
        checked(`explainer "${explainer}" (explainerOptions.${explainer}) on ${where}`, () =>
          tf.dispose(explain(explainer, model, oneImage, { ...options, batchSize: 1 })),
        );
      }
    } finally {
      model.dispose();
    }
  }
}

function checked<T>(where: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof PreflightError) throw error;
    throw new PreflightError(
      `${where}: ${(error as Error).message} (checked before training; nothing was trained)`,
    );
  }
}

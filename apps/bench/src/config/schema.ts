import { checkAttackRadius, PGD_STEP_FACTOR } from '@trustgrad/core-tensor';
import {
  resolveSmoothingOptions,
  SMOOTHING_DEFAULTS,
  SMOOTHING_PADDINGS,
  type SmoothingPadding,
} from '@trustgrad/smoothing-layer';
import { z } from 'zod';

/** Training objective names of the results contract (SPEC 4.1). */
export const TRAINING_NAMES = [
  'standard',
  'pgd-at',
  'trades',
  'nrat',
  'scaat',
  'explanation-consistency',
] as const;

/** Explainer names of the results contract (SPEC 4.1). */
export const EXPLAINER_NAMES = ['vg', 'ig', 'smoothgrad', 'gradcam', 'lse'] as const;

/** Metric keys of the results contract (SPEC 4.1), camelCase. */
export const METRIC_KEYS = [
  'cleanAcc',
  'robustAcc',
  'gini',
  'ris',
  'ros',
  'rrs',
  'maxSensitivity',
  'infidelity',
  'deletionAuc',
  'insertionAuc',
  'pointingGame',
  'relevanceMass',
  'curvature',
  'explanationConsistency',
  'advClassRetrieval',
] as const;

/**
 * A zod refinement from a package's own validator, so the config accepts
 * exactly what the package accepts and fails with the package's message.
 */
function ruleOf<T>(check: (value: T) => unknown) {
  return (value: T, ctx: z.RefinementCtx) => {
    try {
      check(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  };
}

/**
 * The smoothing block's options: σ, padding and their defaults are the
 * smoothing layer's (`SMOOTHING_DEFAULTS`), and a value passes here exactly
 * when the layer accepts it (`resolveSmoothingOptions`: σ ≥ 0, odd
 * `kernelSize`), so a config fails up front with the layer's own message.
 */
const smoothingSchema = z
  .object({
    sigma: z.number().default(SMOOTHING_DEFAULTS.sigma),
    after: z.union([z.string(), z.number().int().nonnegative()]).default('conv1'),
    padding: z
      .enum(SMOOTHING_PADDINGS as [SmoothingPadding, ...SmoothingPadding[]])
      .default(SMOOTHING_DEFAULTS.padding),
    kernelSize: z.number().optional(),
  })
  .strict()
  .superRefine(
    ruleOf(({ sigma, padding, kernelSize }) =>
      resolveSmoothingOptions({
        sigma,
        padding,
        ...(kernelSize === undefined ? {} : { kernelSize }),
      }),
    ),
  );

/** A registered attack by name with its options (`eps`, `steps`, `stepSize` and the attack's own). */
const attackChoiceSchema = z
  .object({
    name: z.string().min(1),
    options: z
      .record(z.string(), z.unknown())
      .default({})
      .superRefine(
        ruleOf((options) => {
          if (Object.hasOwn(options, 'eps')) checkAttackRadius(options.eps, 'options.eps');
        }),
      ),
  })
  .strict();

const variantSchema = z
  .object({
    training: z.string().min(1),
    smoothing: z.boolean().default(false),
    /** Extra options handed to the objective (e.g. `beta` for TRADES). */
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/** The validated experiment config; every default lives here. */
export const experimentConfigSchema = z
  .object({
    preset: z.string().default('custom'),
    seed: z.number().int().nonnegative().default(0),
    /** Run every variant once per seed; the table then reports means over seeds with a CI over seeds. */
    seeds: z.array(z.number().int().nonnegative()).min(1).optional(),
    dataset: z
      .object({
        name: z.string().default('fashion-mnist'),
        path: z.string().optional(),
        trainLimit: z.number().int().positive().optional(),
        testLimit: z.number().int().positive().optional(),
        /** Keep only these classes (indices or names); with `remapLabels` renumbered 0..k-1. */
        classes: z
          .array(z.union([z.number().int().nonnegative(), z.string()]))
          .min(1)
          .optional(),
        remapLabels: z.boolean().optional(),
        /** The dataset plugin's own load options (ImageNette `imageSize`, `rejectNonRgb`; synthetic `trainSize`, …). */
        options: z.record(z.string(), z.unknown()).default({}),
      })
      .strict()
      .default({ name: 'fashion-mnist', options: {} }),
    model: z
      .object({
        /** A registered model (`bench list`): built-in or added by a plugin with `defineModel`. */
        name: z.string().min(1).default('fmnist-cnn'),
        options: z.record(z.string(), z.unknown()).default({}),
      })
      .strict()
      .default({ name: 'fmnist-cnn', options: {} }),
    variants: z.array(variantSchema).min(1),
    smoothing: smoothingSchema.default({
      sigma: SMOOTHING_DEFAULTS.sigma,
      after: 'conv1',
      padding: SMOOTHING_DEFAULTS.padding,
    }),
    training: z
      .object({
        epochs: z.number().int().positive().default(1),
        batchSize: z.number().int().positive().default(64),
        learningRate: z.number().positive().default(1e-3),
        optimizer: z.enum(['adam', 'sgd']).default('adam'),
        schedule: z.enum(['constant', 'step', 'cosine', 'one-cycle']).default('constant'),
        weightDecay: z.number().nonnegative().default(0),
        checkpointEvery: z.number().int().positive().default(100),
      })
      .strict()
      .default({
        epochs: 1,
        batchSize: 64,
        learningRate: 1e-3,
        optimizer: 'adam',
        schedule: 'constant',
        weightDecay: 0,
        checkpointEvery: 100,
      }),
    attack: z
      .object({
        /**
         * L∞ radius; default per dataset (FMNIST 0.1, CIFAR-10 8/255, ImageNette 4/255).
         * Valid as every attack checks it (core-tensor's `checkAttackRadius`: finite, ≥ 0).
         */
        eps: z
          .number()
          .optional()
          .superRefine(ruleOf((eps) => eps === undefined || checkAttackRadius(eps, 'eps'))),
        trainSteps: z.number().int().positive().default(7),
        evalSteps: z.number().int().positive().default(20),
        /** Step size as a multiple of eps/steps (SPEC: 2.5). */
        stepFactor: z.number().positive().default(PGD_STEP_FACTOR),
        /** The attack adversarial objectives train against (default PGD-L∞): any registered attack. */
        train: attackChoiceSchema.optional(),
        /** The attack of robust accuracy and the attack-based metrics (default PGD-L∞). */
        eval: attackChoiceSchema.optional(),
      })
      .strict()
      .default({ trainSteps: 7, evalSteps: 20, stepFactor: 2.5 }),
    explainers: z.array(z.string().min(1)).min(1).default(['vg', 'ig']),
    explainerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    /** Any registered metric by name (`bench list`): the contract keys of SPEC 4.1, other built-ins, plugins. */
    metrics: z
      .array(z.string().min(1))
      .min(1)
      .default(['cleanAcc', 'robustAcc', 'gini', 'ris', 'ros', 'rrs']),
    /** Per metric, options over its defaults (and over the bench's run-wide ones), e.g. `{ ris: { sigma: 0.1 } }`. */
    metricOptions: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    evaluation: z
      .object({
        /** Test images explained and measured (accuracy, Gini). */
        samples: z.number().int().positive().default(500),
        /** Test images for the stability metrics (RIS/ROS/RRS), the costliest. */
        stabilitySamples: z.number().int().positive().default(100),
        /** Perturbations per image for the stability metrics. */
        perturbations: z.number().int().positive().default(50),
        /** Layer whose activations RRS compares. */
        representationLayer: z.string().default('fc1'),
        /** Test images drawn in the heatmap grid of the report. */
        heatmapSamples: z.number().int().positive().default(6),
        batchSize: z.number().int().positive().default(64),
        /** Held-out images measured after every training epoch (clean and robust accuracy curves); 0: none. */
        curveSamples: z.number().int().nonnegative().default(64),
      })
      .strict()
      .default({
        curveSamples: 64,
        samples: 500,
        stabilitySamples: 100,
        perturbations: 50,
        representationLayer: 'fc1',
        heatmapSamples: 6,
        batchSize: 64,
      }),
    /** Modules to import before the run; each registers its plugins. */
    plugins: z.array(z.string()).default([]),
  })
  .strict();

/** A config as a user writes it (defaults optional). */
export type ExperimentConfigInput = z.input<typeof experimentConfigSchema>;
/** A config after validation, every default filled in. */
export type ExperimentConfig = z.output<typeof experimentConfigSchema>;

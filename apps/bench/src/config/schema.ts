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
    /** The bare Gaussian layer (smoothing-layer's `GaussianSmoothing`); the default block. */
    block: z.literal('gaussian').optional(),
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

/**
 * The FMS authors' residual block `x + Conv1×1(filter(x))` (smoothing-layer's
 * `PaperSmoothingBlock`), chosen by `block: 'paper'`; its options go to
 * `insertSmoothing` unchanged (checked there, in preflight). `after` is required:
 * each zoo model exports its authors' placement (`LENET5_PAPER_BLOCK` …). The
 * 1×1 convolution's init seed defaults to `mixSeed(seed, 'paper-block')`, so every seed of a run draws its own.
 */
const paperSmoothingSchema = z
  .object({
    block: z.literal('paper'),
    after: z.union([z.string(), z.number().int().nonnegative()]),
    filter: z.enum(['gaussian', 'mean', 'median']).optional(),
    kernelSize: z.number().int().positive().optional(),
    sigma: z.union([z.number().positive(), z.literal('authors-width-rule')]).optional(),
    padding: z.enum(SMOOTHING_PADDINGS as [SmoothingPadding, ...SmoothingPadding[]]).optional(),
    init: z.enum(['pytorch-default', 'he-normal-fan-out']).optional(),
    seed: z.number().int().nonnegative().optional(),
  })
  .strict();

/** Optimisers the trainer builds (adversarial-trainer's `createOptimizer`). */
export const OPTIMIZER_NAMES = ['adam', 'sgd', 'momentum', 'radam', 'ranger'] as const;

/**
 * An optimiser: a name (its defaults), or `{ name, ...options }` — `sgd` takes
 * `momentum`, `nesterov`; `adam`/`radam` `beta1`, `beta2`, `epsilon`; `ranger`
 * those and `k`, `alpha`, `gradientCentralization` (checked by the trainer, in preflight).
 * Weight decay is `training.weightDecay` (PyTorch's coupled `weight_decay`).
 */
const optimizerSchema = z.union([
  z.enum(OPTIMIZER_NAMES),
  z.object({ name: z.enum(OPTIMIZER_NAMES) }).catchall(z.unknown()),
]);

/**
 * A learning-rate schedule: a name, or step decay at explicit milestones
 * (PyTorch's `MultiStepLR`): `{ name: 'step', milestones: [40000, 50000], unit: 'step' }`.
 * The bare name `'step'` decays ×0.1 at half and three quarters of the epochs.
 */
const scheduleSchema = z.union([
  z.enum(['constant', 'step', 'cosine', 'one-cycle']),
  z
    .object({
      name: z.literal('step'),
      milestones: z.array(z.number().int().nonnegative()).min(1),
      gamma: z.number().positive().optional(),
      unit: z.enum(['epoch', 'step']).optional(),
    })
    .strict(),
]);

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

/** A variant's change to one phase's attack: a name (else the run's), options over the run's when the name is the same. */
const attackOverrideSchema = z
  .object({
    name: z.string().min(1).optional(),
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

const variantSchema = z
  .object({
    training: z.string().min(1),
    smoothing: z.boolean().default(false),
    /** Extra options handed to the objective (e.g. `beta` for TRADES). */
    options: z.record(z.string(), z.unknown()).default({}),
    /** The row's name in the table; default from training, smoothing, options and a changed training ε (`AT+FMS [ε=0.01]`). */
    label: z.string().min(1).optional(),
    /** This variant's attacks over the run's `attack` (an ε sweep is one config). */
    attack: z
      .object({
        /** L∞ radius of both phases for this variant (a phase's `options.eps` still wins). */
        eps: z.number().positive().optional(),
        train: attackOverrideSchema.optional(),
        eval: attackOverrideSchema.optional(),
      })
      .strict()
      .optional(),
    /** This variant's training settings over the run's `training` (the FMS authors train AT at lr 1e-4 for 40 epochs, ST at 1e-3 for 50). */
    trainer: z
      .object({
        epochs: z.number().int().positive().optional(),
        batchSize: z.number().int().positive().optional(),
        learningRate: z.number().positive().optional(),
        optimizer: optimizerSchema.optional(),
        schedule: scheduleSchema.optional(),
        weightDecay: z.number().nonnegative().optional(),
      })
      .strict()
      .optional(),
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
    /** The FMS block of the `smoothing: true` variants: the bare Gaussian (default) or `block: 'paper'`. */
    // Chosen by `block` (absent = the bare Gaussian), so a wrong option is reported against its own form only.
    smoothing: z
      .custom<unknown>()
      .transform(
        (value, ctx): z.output<typeof paperSmoothingSchema> | z.output<typeof smoothingSchema> => {
          const isPaper =
            typeof value === 'object' &&
            value !== null &&
            (value as { block?: unknown }).block === 'paper';
          const parsed = (isPaper ? paperSmoothingSchema : smoothingSchema).safeParse(value ?? {});
          if (parsed.success) return parsed.data;
          for (const issue of parsed.error.issues)
            ctx.addIssue({ ...issue, code: 'custom', path: issue.path });
          return z.NEVER;
        },
      )
      .default({
        sigma: SMOOTHING_DEFAULTS.sigma,
        after: 'conv1',
        padding: SMOOTHING_DEFAULTS.padding,
      }),
    training: z
      .object({
        epochs: z.number().int().positive().default(1),
        batchSize: z.number().int().positive().default(64),
        learningRate: z.number().positive().default(1e-3),
        optimizer: optimizerSchema.default('adam'),
        schedule: scheduleSchema.default('constant'),
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
        /**
         * The units of every ε and step size above: `'pixel'` (default: the [0, 1] input
         * the model sees) or `'normalised-input'`, the FMS authors' CIFAR-10 quirk —
         * their PGD runs on mean/std-normalised inputs, so ε = 0.0314 there is
         * ε·std ≈ 2/255 in pixels. The bench multiplies each radius and step by the mean of
         * `inputStd` (a cube inside their per-channel box: the three stds differ by ≤ 7%).
         */
        epsSpace: z.enum(['pixel', 'normalised-input']).default('pixel'),
        /** Per-channel std of the normalisation `epsSpace: 'normalised-input'` undoes, in [0, 1] units. */
        inputStd: z.array(z.number().positive()).min(1).optional(),
      })
      .strict()
      .default({ trainSteps: 7, evalSteps: 20, stepFactor: 2.5, epsSpace: 'pixel' }),
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
        /**
         * Measure the explanation metrics only on the evaluated images each model classifies
         * correctly (the FMS authors' rule); accuracies stay on all of them. Default false.
         */
        correctlyClassified: z.boolean().default(false),
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
        correctlyClassified: false,
      }),
    /** Modules to import before the run; each registers its plugins. */
    plugins: z.array(z.string()).default([]),
  })
  .strict();

/** A config as a user writes it (defaults optional). */
export type ExperimentConfigInput = z.input<typeof experimentConfigSchema>;
/** A config after validation, every default filled in. */
export type ExperimentConfig = z.output<typeof experimentConfigSchema>;

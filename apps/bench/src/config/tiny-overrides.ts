import { loadConfig } from './load-config';

/** Model options that make each built-in model tiny (a few hundred weights, not millions). */
export const TINY_MODELS: Readonly<Record<string, Record<string, unknown>>> = Object.freeze({
  'fmnist-cnn': { filters: [2, 4], hiddenUnits: 8 },
  'cifar-resnet': { depth: 8, width: 2 },
  'imagenette-resnet18': { width: 2 },
  // LeNet-5 has no size options; at 44k weights it is small already.
  lenet5: {},
  'wide-resnet': { depth: 10, widenFactor: 1 },
});

/** Options of {@link tinyOverrides}. */
export interface TinyOverridesOptions {
  /** Images whose saliency maps are written. Default 1. */
  heatmapSamples?: number;
}

/**
 * The `--set` overrides that shrink the built-in `preset` to seconds while keeping every
 * variant, explainer and metric (bench's every-preset test; the viewer's study on real
 * `bench run` output). `data`: the overrides that point the preset's dataset at tiny files
 * in its official format (e.g. `dataset.path=…` of datasets' testing writers).
 *
 * @example
 * loadConfig({ preset: 'fmnist-quick', set: tinyOverrides('fmnist-quick', [`dataset.path=${dir}`]) });
 */
export function tinyOverrides(
  preset: string,
  data: readonly string[],
  { heatmapSamples = 1 }: TinyOverridesOptions = {},
): string[] {
  const { model, variants, metrics } = loadConfig({ preset });
  const modelOptions = TINY_MODELS[model.name];
  if (!modelOptions) {
    throw new Error(
      `preset "${preset}" uses model "${model.name}", which has no tiny options: add them to TINY_MODELS (apps/bench/src/config/tiny-overrides.ts)`,
    );
  }
  return [
    ...data,
    'dataset.trainLimit=40',
    'dataset.testLimit=10',
    `model.options=${JSON.stringify(modelOptions)}`,
    'training.epochs=1',
    'training.batchSize=20',
    'attack.trainSteps=1',
    'attack.evalSteps=1',
    'explainerOptions.ig.steps=2',
    'evaluation.samples=6',
    'evaluation.stabilitySamples=2',
    'evaluation.perturbations=2',
    `evaluation.heatmapSamples=${heatmapSamples}`,
    'evaluation.batchSize=6',
    // A tiny model may classify none of 6 images correctly; the filter has its own test.
    'evaluation.correctlyClassified=false',
    // The FMS authors' ROAD (20 removal levels) and SSIM (8 noise levels) cut to two and one.
    ...(metrics.includes('roadAopc') ? ['metricOptions.roadAopc.percentages=[1,51]'] : []),
    ...(metrics.includes('ssim') ? ['metricOptions.ssim.sigmas=[0.05]'] : []),
    // Variants that train for their own number of epochs (the FMS authors' AT) get 1 too.
    ...variants.flatMap((v, i) => (v.trainer?.epochs ? [`variants.${i}.trainer.epochs=1`] : [])),
  ];
}

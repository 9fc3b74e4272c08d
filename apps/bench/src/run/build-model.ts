import type * as tfl from '@tensorflow/tfjs-layers';
import { cifarResNet, fmnistCnn, imagenetteResNet18 } from '@trustgrad/core-tensor';
import { insertSmoothing } from '@trustgrad/smoothing-layer';
import type { ExperimentConfig } from '../config/schema';

/** The zoo constructors the bench knows by config name. */
export const MODEL_BUILDERS: Record<
  ExperimentConfig['model']['name'],
  (options: Record<string, unknown>) => tfl.LayersModel
> = {
  'fmnist-cnn': (o) => fmnistCnn(o),
  'cifar-resnet': (o) => cifarResNet(o),
  'imagenette-resnet18': (o) => imagenetteResNet18(o),
};

/**
 * The model of one variant: the zoo model (weights from the run's seed, so
 * every variant starts from the same initialisation) with the FMS block after
 * `config.smoothing.after` when the variant asks for smoothing.
 */
export function buildModel(
  config: ExperimentConfig,
  smoothing: boolean,
  inputShape: readonly number[],
): tfl.LayersModel {
  const base = MODEL_BUILDERS[config.model.name]({
    inputShape: [...inputShape],
    seed: config.seed,
    ...config.model.options,
  });
  if (!smoothing) return base;
  const { sigma, after, padding, kernelSize } = config.smoothing;
  const smoothed = insertSmoothing(base, {
    after,
    sigma,
    padding,
    ...(kernelSize ? { kernelSize } : {}),
  });
  base.dispose();
  return smoothed;
}

import type * as tfl from '@tensorflow/tfjs-layers';
import { modelRegistry } from '@trustgrad/core-tensor';
import { insertSmoothing } from '@trustgrad/smoothing-layer';
import type { ExperimentConfig } from '../config/schema';

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
  const base = modelRegistry.get(config.model.name).build({
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

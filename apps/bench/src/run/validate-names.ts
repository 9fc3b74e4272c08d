import { attacks, objectives } from '@trustgrad/adversarial-trainer';
import { attributionMethods } from '@trustgrad/attribution';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { datasetRegistry } from '@trustgrad/datasets';
import { metricRegistry } from '@trustgrad/metrics';
import type { ExperimentConfig } from '../config/schema';
import { modelRegistry } from '../models/model-registry';
import { attackSetting } from './attack-settings';
import { attributionName } from './explainer-names';

/**
 * Fails before any training when the config names a dataset, model, objective,
 * explainer or metric that no registry holds (after plugins loaded), listing
 * the known names, so a typo costs seconds, not a training run.
 */
export function validateRegisteredNames(config: ExperimentConfig): void {
  datasetRegistry.get(config.dataset.name);
  modelRegistry.get(config.model.name);
  for (const variant of config.variants) objectives.get(variant.training);
  for (const explainer of config.explainers) attributionMethods.get(attributionName(explainer));
  for (const metric of config.metrics) metricRegistry.get(metric);
  for (const phase of ['train', 'eval'] as const) attacks.get(attackSetting(config, phase).name);
  for (const [name, options] of Object.entries(config.metricOptions)) {
    if (!config.metrics.includes(name)) {
      throw new InvalidOptionError(
        `metricOptions.${name}: "${name}" is not in metrics [${config.metrics.join(', ')}]; add it there or drop its options`,
      );
    }
    const known = Object.keys(metricRegistry.get(name).defaults);
    for (const key of Object.keys(options)) {
      if (!known.includes(key)) {
        throw new InvalidOptionError(
          `metricOptions.${name}.${key}: metric "${name}" has no option "${key}"; its options are: ${known.join(', ') || '(none)'}`,
        );
      }
    }
  }
}

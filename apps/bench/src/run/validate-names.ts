import { objectives } from '@trustgrad/adversarial-trainer';
import { attributionMethods } from '@trustgrad/attribution';
import { datasetRegistry } from '@trustgrad/datasets';
import { metricRegistry } from '@trustgrad/metrics';
import type { ExperimentConfig } from '../config/schema';
import { modelRegistry } from '../models/model-registry';
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
}

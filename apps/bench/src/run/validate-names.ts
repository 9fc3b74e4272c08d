import { attackRegistry, objectiveRegistry } from '@trustgrad/adversarial-trainer';
import { attributionRegistry } from '@trustgrad/attribution';
import { InvalidOptionError, modelRegistry, resolveOptions } from '@trustgrad/core-tensor';
import { datasetRegistry } from '@trustgrad/datasets';
import { metricRegistry } from '@trustgrad/metrics';
import type { ExperimentConfig } from '../config/schema';
import { attackSetting } from './attack-settings';

/**
 * Fails before any training when the config names a dataset, model,
 * objective, explainer or metric that no registry holds (after plugins loaded), listing
 * the known names, so a typo costs seconds, not a training run.
 */
export function validateRegisteredNames(config: ExperimentConfig): void {
  datasetRegistry.get(config.dataset.name);
  modelRegistry.get(config.model.name);
  for (const variant of config.variants) objectiveRegistry.get(variant.training);
  for (const explainer of config.explainers) attributionRegistry.get(explainer);
  for (const metric of config.metrics) metricRegistry.get(metric);
  for (const phase of ['train', 'eval'] as const)
    attackRegistry.get(attackSetting(config, phase).name);
  for (const [name, options] of Object.entries(config.metricOptions)) {
    if (!config.metrics.includes(name)) {
      throw new InvalidOptionError(
        `metricOptions.${name}: "${name}" is not in metrics [${config.metrics.join(', ')}]; add it there or drop its options`,
      );
    }
    if (name === 'explanationConsistency' && Object.hasOwn(options, 'attack')) {
      throw new InvalidOptionError(
        "metricOptions.explanationConsistency.attack: the bench gives this metric the EC objective's background attack at the evaluation ε and steps; set attack.eps / attack.evalSteps (or attack.eval.options) instead",
      );
    }
    resolveOptions(
      `metricOptions.${name}: metric "${name}"`,
      metricRegistry.get(name).defaults,
      options,
    );
  }
}

import { attackRegistry, objectiveRegistry } from '@trustgrad/adversarial-trainer';
import { attributionRegistry, layerAttributionRegistry } from '@trustgrad/attribution';
import { InvalidOptionError, modelRegistry, resolveOptions } from '@trustgrad/core-tensor';
import { datasetRegistry } from '@trustgrad/datasets';
import { metricRegistry } from '@trustgrad/metrics';
import type { ExperimentConfig } from '../config/schema';
import { attackSetting } from './attack-settings';
import { variantConfig } from './variant-config';

/**
 * Fails before any training when the config names a dataset, model,
 * objective, explainer or metric that no registry holds (after plugins loaded), listing
 * the known names, so a typo costs seconds, not a training run.
 */
export function validateRegisteredNames(config: ExperimentConfig): void {
  datasetRegistry.get(config.dataset.name);
  modelRegistry.get(config.model.name);
  for (const variant of config.variants) objectiveRegistry.get(variant.training);
  for (const explainer of config.explainers) {
    if (!attributionRegistry.has(explainer) && layerAttributionRegistry.has(explainer)) {
      // Layer maps are shaped like the layer, so the input-space metrics of a row cannot score them.
      throw new InvalidOptionError(
        `explainers: "${explainer}" is a layer attribution (its maps are shaped like a layer, not the input, so the bench's metrics cannot score them); call it with explainLayer() from @trustgrad/attribution, or pick an input attribution: ${attributionRegistry.names().join(', ')}`,
      );
    }
    attributionRegistry.get(explainer);
  }
  for (const metric of config.metrics) metricRegistry.get(metric);
  for (const variant of config.variants)
    for (const phase of ['train', 'eval'] as const)
      attackRegistry.get(attackSetting(variantConfig(config, variant), phase).name);
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

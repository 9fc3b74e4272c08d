import { createHash } from 'node:crypto';
import type { ExperimentConfig } from '../config/schema';
import { labelOfVariant, type VariantConfig } from './variant-config';

/** One trained model of an experiment. */
export type Variant = VariantConfig;

/**
 * A folder name for a variant: its label and a hash of every setting that
 * changes its weights. A rerun whose settings are unchanged finds the trained
 * model there and skips training. `config` is the variant's own
 * (`variantConfig`); the display label is left out of the hash.
 */
export function variantKey(config: ExperimentConfig, variant: Variant): string {
  const identity = {
    dataset: config.dataset,
    model: config.model,
    seed: config.seed,
    training: config.training,
    attack: config.attack,
    variant: { ...variant, label: undefined },
    smoothing: variant.smoothing ? config.smoothing : null,
  };
  const hash = createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 12);
  return `${labelOfVariant(variant).replace(/\W+/g, '-')}-${hash}`;
}

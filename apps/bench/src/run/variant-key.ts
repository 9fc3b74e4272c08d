import { createHash } from 'node:crypto';
import type { ExperimentConfig } from '../config/schema';
import { variantLabel } from '../results/results-types';

/** One trained model of an experiment. */
export interface Variant {
  training: string;
  smoothing: boolean;
  options: Record<string, unknown>;
}

/**
 * A folder name for a variant: its label and a hash of every setting that
 * changes its weights. A rerun whose settings are unchanged finds the trained
 * model there and skips training.
 */
export function variantKey(config: ExperimentConfig, variant: Variant): string {
  const identity = {
    dataset: config.dataset,
    model: config.model,
    seed: config.seed,
    training: config.training,
    attack: config.attack,
    variant,
    smoothing: variant.smoothing ? config.smoothing : null,
  };
  const hash = createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 12);
  return `${variantLabel(variant.training, variant.smoothing, variant.options).replace(/\W+/g, '-')}-${hash}`;
}

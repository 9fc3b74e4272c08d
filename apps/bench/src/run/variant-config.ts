import type { ExperimentConfig } from '../config/schema';
import { variantLabel } from '../results/results-types';

/** One variant of a config, as validated. */
export type VariantConfig = ExperimentConfig['variants'][number];

type AttackChoice = NonNullable<ExperimentConfig['attack']['train']>;

/** A variant's attack over the run's: its name, else the run's; options merged only when the attack stays the same. */
function overrideAttack(
  base: AttackChoice | undefined,
  over: { name?: string; options: Record<string, unknown> },
): AttackChoice {
  const name = over.name ?? base?.name ?? 'pgd-linf';
  const baseOptions = base && (base.name === name || over.name === undefined) ? base.options : {};
  return { name, options: { ...baseOptions, ...over.options } };
}

/**
 * The config one variant runs under: the run's `training` with the variant's
 * `trainer` settings over it, and the run's `attack` with the variant's
 * `attack` over it (ε, then each phase). Every consumer of the config (the
 * trainer, the attacks, the checkpoint key, preflight) reads this one, so a
 * per-variant ε sweep needs no special case anywhere.
 */
export function variantConfig(config: ExperimentConfig, variant: VariantConfig): ExperimentConfig {
  const { attack, trainer } = variant;
  return {
    ...config,
    training: trainer ? { ...config.training, ...definedOnly(trainer) } : config.training,
    attack: attack
      ? {
          ...config.attack,
          ...(attack.eps !== undefined ? { eps: attack.eps } : {}),
          ...(attack.train ? { train: overrideAttack(config.attack.train, attack.train) } : {}),
          ...(attack.eval ? { eval: overrideAttack(config.attack.eval, attack.eval) } : {}),
        }
      : config.attack,
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The row label of a variant: its `label`, else {@link variantLabel} of its
 * training, smoothing and objective options, with the training ε appended
 * when the variant changes it (`AT+FMS [ε=0.01]`), so the rows of an ε sweep stay apart.
 */
export function labelOfVariant(variant: VariantConfig): string {
  if (variant.label) return variant.label;
  const base = variantLabel(variant.training, variant.smoothing, variant.options);
  const eps = variant.attack?.train?.options.eps ?? variant.attack?.eps;
  if (typeof eps !== 'number') return base;
  return base.endsWith(']') ? `${base.slice(0, -1)}, ε=${eps}]` : `${base} [ε=${eps}]`;
}

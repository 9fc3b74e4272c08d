import { mixSeed, SeededRandom } from '@trustgrad/core-tensor';
import type { StudyConfig } from './study-config';

/** One screen of a study: one map (Likert) or two (pairwise), or an attention check. */
export interface StudyTrial {
  /** Position in the participant's sequence, from 0. */
  index: number;
  image: number;
  explainer: string;
  /** The variants shown, left to right: one for Likert, two for pairwise. Never shown to the participant. */
  variants: string[];
  /** For an attention check: the answer asked for (a Likert point, or `left`/`right`). */
  attention?: number | 'left' | 'right';
}

/**
 * A participant's trials, blinded and randomised with `mixSeed(seed,
 * 'participant', id)`: the combinations (image × explainer × variant for
 * Likert, × pair of variants for pairwise) in a seeded order, cycling when
 * there are fewer than `trials`, each pair's sides drawn at random, and the
 * attention checks at seeded positions. The same id always gets the same plan.
 */
export function studyPlan(config: StudyConfig, participant: string): StudyTrial[] {
  const rng = new SeededRandom(mixSeed(config.seed, 'participant', participant));
  const combos: Array<Omit<StudyTrial, 'index'>> = [];
  for (const image of config.images)
    for (const explainer of config.explainers) {
      if (config.design === 'likert') {
        for (const variant of config.variants)
          combos.push({ image, explainer, variants: [variant] });
      } else {
        for (let a = 0; a < config.variants.length; a++)
          for (let b = a + 1; b < config.variants.length; b++)
            combos.push({ image, explainer, variants: [config.variants[a], config.variants[b]] });
      }
    }
  const trials: Array<Omit<StudyTrial, 'index'>> = [];
  while (trials.length < config.trials) {
    const order = rng.permutation(combos.length);
    for (const i of order) if (trials.length < config.trials) trials.push(combos[i]);
  }
  const placed = trials.map((t) =>
    t.variants.length === 2 && rng.uniform() < 0.5
      ? { ...t, variants: [t.variants[1], t.variants[0]] }
      : t,
  );
  for (let check = 0; check < config.attentionChecks; check++) {
    const at = rng.int(placed.length + 1);
    const source = combos[rng.int(combos.length)];
    const attention =
      config.design === 'likert'
        ? 1 + rng.int(config.likertPoints)
        : rng.uniform() < 0.5
          ? 'left'
          : 'right';
    placed.splice(at, 0, { ...source, attention });
  }
  return placed.map((t, index) => ({ ...t, index }));
}

import type * as tfl from '@tensorflow/tfjs-layers';
import { attackRegistry, backgroundAttack } from '@trustgrad/adversarial-trainer';
import { InvalidOptionError, mixSeed, pgdStepSize, SeededRandom } from '@trustgrad/core-tensor';
import type { AttackFn, BackgroundAttack } from '@trustgrad/metrics';
import type { ExperimentConfig } from '../config/schema';
import { DEFAULT_EPS } from './dataset-defaults';

/** The attack of one phase as the run uses it: a registered attack name and its full options. */
export interface AttackSetting {
  name: string;
  /**
   * `eps`, `steps`, `stepSize` resolved, plus the attack's own options from the config;
   * `stepSize` is absent for the attacks that choose their own steps.
   */
  options: { eps: number; steps: number; stepSize?: number } & Record<string, unknown>;
}

/**
 * Attacks that set their own step sizes (APGD halves 2ε at checkpoints, Square
 * and AutoAttack have none to give): the PGD step rule is not applied to them.
 */
const OWN_STEP_ATTACKS = new Set(['apgd-ce', 'apgd-dlr', 'apgd-t', 'square', 'autoattack']);

/** Attacks whose radius is an L∞ ε (unless told `norm: 'l2'`), so the dataset's default ε (SPEC 2.2) applies to them. */
const LINF_ATTACKS = new Set(['pgd-linf', 'fgsm', 'masked-pgd', ...OWN_STEP_ATTACKS]);

/**
 * The training or evaluation attack of a run — the one place the step rule
 * lives: `attack.{train,eval}.name` (default `pgd-linf`), ε from its options,
 * else `attack.eps`, else the dataset's L∞ default; steps from its options,
 * else `attack.trainSteps` / `attack.evalSteps`; step size from its options,
 * else `stepFactor · ε / steps` (Madry et al.: 2.5·ε/steps), except for the
 * attacks that set their own (APGD, Square, AutoAttack).
 */
export function attackSetting(config: ExperimentConfig, phase: 'train' | 'eval'): AttackSetting {
  const chosen = config.attack[phase];
  const name = chosen?.name ?? 'pgd-linf';
  const own = chosen?.options ?? {};
  const linf = LINF_ATTACKS.has(name) && own.norm !== 'l2';
  const datasetEps = linf ? DEFAULT_EPS[config.dataset.name] : undefined;
  const eps =
    (own.eps as number | undefined) ?? config.attack.eps ?? datasetEps ?? (linf ? 0.1 : undefined);
  if (eps === undefined) {
    throw new InvalidOptionError(
      `attack.${phase} "${name}" needs its radius: set attack.${phase}.options.eps (the dataset defaults are L∞ radii and do not carry over)`,
    );
  }
  const steps =
    (own.steps as number | undefined) ??
    (phase === 'train' ? config.attack.trainSteps : config.attack.evalSteps);
  if (OWN_STEP_ATTACKS.has(name)) return { name, options: { ...own, eps, steps } };
  const stepSize =
    (own.stepSize as number | undefined) ?? pgdStepSize(eps, steps, config.attack.stepFactor);
  return { name, options: { ...own, eps, steps, stepSize } };
}

/**
 * The evaluation attack as a metric's attack callback: the registered attack
 * with {@link attackSetting}'s options, a random start drawn from its own
 * generator (seeded `mixSeed(seed, 'robust-accuracy')`, fresh for each variant, so every variant
 * faces the same draws) and the data range.
 */
export function evaluationAttack(
  config: ExperimentConfig,
  range: readonly [number, number],
): { fn: AttackFn; eps: number; setting: AttackSetting } {
  const setting = attackSetting(config, 'eval');
  const attack = attackRegistry.get(setting.name);
  const rng = new SeededRandom(mixSeed(config.seed, 'robust-accuracy'));
  const fn: AttackFn = (model, x, y) =>
    attack.run(model as tfl.LayersModel, x, y, {
      randomStart: true,
      ...setting.options,
      range,
      rng,
    });
  return { fn, eps: setting.options.eps, setting };
}

/**
 * The background attack the `explanationConsistency` metric scores with:
 * adversarial-trainer's `backgroundAttack`, the masked PGD-L∞ with the
 * prediction kept (4 halvings of δ) that the `explanation-consistency`
 * training objective trains against, so an EC-trained model is scored by the
 * rule it was trained on. Radius, steps and step size are the evaluation
 * attack's ({@link attackSetting}); the random start comes from its own
 * generator (seeded `mixSeed(seed, 'explanation-consistency')`, fresh for
 * each call, so every variant and explainer faces the same draws).
 */
export function explanationConsistencyAttack(
  config: ExperimentConfig,
  range: readonly [number, number],
): BackgroundAttack {
  const { eps, steps, stepSize } = attackSetting(config, 'eval').options;
  const rng = new SeededRandom(mixSeed(config.seed, 'explanation-consistency'));
  return backgroundAttack({ eps, steps, stepSize, range, rng });
}

import { InvalidOptionError, resolveOptions } from '@trustgrad/core-tensor';
import type { LearningRateSchedule } from './learning-rate-schedule';

/** Options of {@link stepDecay}. */
export interface StepDecayOptions {
  /** Rate before the first milestone. */
  initial: number;
  /**
   * Where the rate is multiplied by `gamma`, in `unit`s (0-based): epochs at whose start,
   * e.g. `[100, 150]` (Madry's CIFAR schedule), or global steps, e.g. `[40000, 50000]`
   * (the FMS authors' WRN schedule).
   */
  milestones: number[];
  /** Multiplier per milestone. Default 0.1. */
  gamma?: number;
  /**
   * What the milestones count: `'epoch'` (default) or `'step'` — PyTorch's `MultiStepLR`
   * stepped once per optimiser step, as the FMS authors' CIFAR-10 code does.
   */
  unit?: 'epoch' | 'step';
}

/**
 * Piecewise-constant decay (PyTorch's `MultiStepLR`):
 * `lr = initial · gamma^{#milestones ≤ t}`, t the epoch or the step about to run.
 *
 * @example
 * stepDecay({ initial: 0.1, milestones: [40000, 50000], unit: 'step' }); // the authors' WRN-28-10 schedule
 */
export function stepDecay(options: StepDecayOptions): LearningRateSchedule {
  const { initial, milestones, gamma, unit } = resolveOptions(
    'schedule "step"',
    {
      initial: undefined as unknown as number,
      milestones: [] as number[],
      gamma: 0.1,
      unit: 'epoch' as 'epoch' | 'step',
    },
    options,
  );
  if (unit !== 'epoch' && unit !== 'step') {
    throw new InvalidOptionError(`stepDecay: unit must be 'epoch' or 'step', got ${String(unit)}`);
  }
  if (milestones.some((m, i) => i > 0 && m <= milestones[i - 1])) {
    throw new InvalidOptionError(
      `stepDecay: milestones must increase, got [${milestones.join(', ')}]`,
    );
  }
  return {
    name: 'step',
    rate({ step, stepsPerEpoch }) {
      if (unit === 'step') return initial * gamma ** milestones.filter((m) => m <= step).length;
      // Without the epoch length no epoch milestone can be placed: NaN makes the trainer fail loudly instead of never decaying.
      if (!(Number.isFinite(stepsPerEpoch) && stepsPerEpoch >= 1)) return Number.NaN;
      const epoch = Math.floor(step / stepsPerEpoch);
      return initial * gamma ** milestones.filter((m) => m <= epoch).length;
    },
  };
}

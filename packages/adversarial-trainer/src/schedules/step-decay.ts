import { InvalidOptionError, resolveOptions } from '@trustgrad/core-tensor';
import type { LearningRateSchedule } from './learning-rate-schedule';

/** Options of {@link stepDecay}. */
export interface StepDecayOptions {
  /** Rate before the first milestone. */
  initial: number;
  /** Epochs (0-based) at whose start the rate is multiplied by `gamma`, e.g. `[100, 150]` (Madry's CIFAR schedule). */
  milestones: number[];
  /** Multiplier per milestone. Default 0.1. */
  gamma?: number;
}

/** Piecewise-constant decay: `lr = initial · gamma^{#milestones ≤ epoch}`. */
export function stepDecay(options: StepDecayOptions): LearningRateSchedule {
  const { initial, milestones, gamma } = resolveOptions(
    'schedule "step"',
    { initial: undefined as unknown as number, milestones: [] as number[], gamma: 0.1 },
    options,
  );
  if (milestones.some((m, i) => i > 0 && m <= milestones[i - 1])) {
    throw new InvalidOptionError(
      `stepDecay: milestones must increase, got [${milestones.join(', ')}]`,
    );
  }
  return {
    name: 'step',
    rate({ step, stepsPerEpoch }) {
      const epoch = Math.floor(step / stepsPerEpoch);
      return initial * gamma ** milestones.filter((m) => m <= epoch).length;
    },
  };
}

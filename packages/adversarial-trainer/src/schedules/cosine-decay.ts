import { resolveOptions } from '@trustgrad/core-tensor';
import { cosineInterpolate, type LearningRateSchedule } from './learning-rate-schedule';

/** Options of {@link cosineDecay}. */
export interface CosineDecayOptions {
  /** Rate at the end of warm-up (the peak). */
  initial: number;
  /** Rate at the last step. Default 0. */
  final?: number;
  /** Steps of linear warm-up from 0 to `initial`. Default 0. */
  warmupSteps?: number;
}

/**
 * Cosine annealing (Loshchilov & Hutter 2017, without restarts):
 * `lr(t) = final + (initial − final) · (1 + cos(π (t − w)/(T − w)))/2` after a linear warm-up of `w` steps.
 */
export function cosineDecay(options: CosineDecayOptions): LearningRateSchedule {
  const { initial, final, warmupSteps } = resolveOptions(
    'schedule "cosine"',
    { initial: undefined as unknown as number, final: 0, warmupSteps: 0 },
    options,
  );
  return {
    name: 'cosine',
    rate({ step, totalSteps }) {
      if (step < warmupSteps) return (initial * (step + 1)) / warmupSteps;
      const span = Math.max(1, totalSteps - warmupSteps - 1);
      return cosineInterpolate(initial, final, (step - warmupSteps) / span);
    },
  };
}

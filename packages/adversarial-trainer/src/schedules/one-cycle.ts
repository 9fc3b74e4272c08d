import { resolveOptions } from '@trustgrad/core-tensor';
import { cosineInterpolate, type LearningRateSchedule } from './learning-rate-schedule';

/** Options of {@link oneCycle}. */
export interface OneCycleOptions {
  /** Peak rate. */
  max: number;
  /** Fraction of the run spent rising. Default 0.3. */
  pctStart?: number;
  /** Start rate = max / divFactor. Default 25. */
  divFactor?: number;
  /** Final rate = start / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
}

/**
 * One-cycle policy (Smith & Topin 2019; PyTorch `OneCycleLR` with cosine
 * annealing): cosine rise from `max/divFactor` to `max` over the first
 * `pctStart` of the run, then cosine fall to `max/(divFactor·finalDivFactor)`.
 */
export function oneCycle(options: OneCycleOptions): LearningRateSchedule {
  const { max, pctStart, divFactor, finalDivFactor } = resolveOptions(
    'schedule "one-cycle"',
    { max: undefined as unknown as number, pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4 },
    options,
  );
  const start = max / divFactor;
  const end = start / finalDivFactor;
  return {
    name: 'one-cycle',
    rate({ step, totalSteps }) {
      const rise = Math.max(1, Math.floor(pctStart * totalSteps) - 1);
      if (step <= rise) return cosineInterpolate(start, max, step / rise);
      return cosineInterpolate(max, end, (step - rise) / Math.max(1, totalSteps - 1 - rise));
    },
  };
}

/** Where training stands when the learning rate is asked for. */
export interface ScheduleContext {
  /** Global step (0-based) about to run. */
  step: number;
  /** Steps in one epoch. */
  stepsPerEpoch: number;
  /** Steps in the whole run (`epochs · stepsPerEpoch`). */
  totalSteps: number;
}

/** A learning-rate schedule: the rate to use at a step. Pure, so resumed runs get the same rates. */
export interface LearningRateSchedule {
  readonly name: string;
  rate(ctx: ScheduleContext): number;
}

/** A fixed learning rate. */
export function constantLr(rate: number): LearningRateSchedule {
  return { name: 'constant', rate: () => rate };
}

/** Cosine interpolation from `from` (p = 0) to `to` (p = 1): `to + (from − to)(1 + cos πp)/2`. */
export function cosineInterpolate(from: number, to: number, p: number): number {
  return to + ((from - to) * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, p))))) / 2;
}

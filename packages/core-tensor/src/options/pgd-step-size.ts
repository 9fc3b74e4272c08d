/**
 * Step size of PGD as a multiple of `ε / steps` (Madry et al. 2018 use
 * 2.5·ε/steps, so a walk from the centre can cross the ball and back). The one
 * place the rule lives: the attacks of adversarial-trainer, the masked PGD of
 * the metrics' explanation consistency and the bench's `stepFactor` default.
 */
export const PGD_STEP_FACTOR = 2.5;

/**
 * `factor · ε / steps`, the PGD step size.
 *
 * @example pgdStepSize(0.1, 10); // 0.025
 */
export function pgdStepSize(eps: number, steps: number, factor = PGD_STEP_FACTOR): number {
  return (factor * eps) / steps;
}

import { defineAttack } from './attack';
import { linfIteration } from './pgd-linf';

/**
 * Fast Gradient Sign Method (Goodfellow et al. 2015, *Explaining and Harnessing
 * Adversarial Examples*): `x' = clip(x + ε · sign(∇ₓ L(x)))`. One step of size ε
 * by default; with `randomStart` it is the R+FGSM / "fast AT" variant (start
 * uniform in the ball, then one signed step, projected back).
 */
export const fgsm = defineAttack(
  {
    name: 'fgsm',
    description: 'Fast Gradient Sign Method, one signed step of size ε (Goodfellow et al. 2015)',
    defaults: { steps: 1, randomStart: false },
    defaultStepSize: () => 1,
    perturb: linfIteration,
  },
  { replace: true },
);

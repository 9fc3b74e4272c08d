import { InvalidOptionError } from '../errors/trustgrad-error';

/**
 * The one rule for an attack's radius ε (L∞, L2 or any norm ball, in data
 * units): a finite number ≥ 0. ε = 0 is allowed, it is the clean input (a
 * robust accuracy equal to the clean one), so a sweep over ε may start at 0.
 * Used by every attack of adversarial-trainer and by the bench's config, so a
 * radius that one accepts the other accepts too. Returns `eps`.
 *
 * @example
 * checkAttackRadius(8 / 255, 'pgd-linf: eps'); // 0.0313…
 * checkAttackRadius(-0.1, 'attack.eps'); // InvalidOptionError: attack.eps must be a finite number ≥ 0 …
 */
export function checkAttackRadius(eps: unknown, what = 'eps'): number {
  if (!(typeof eps === 'number' && Number.isFinite(eps) && eps >= 0)) {
    throw new InvalidOptionError(
      `${what} must be a finite number ≥ 0 (the attack's radius in data units, 0 = no perturbation), got ${typeof eps === 'number' ? eps : (JSON.stringify(eps) ?? String(eps))}`,
    );
  }
  return eps;
}

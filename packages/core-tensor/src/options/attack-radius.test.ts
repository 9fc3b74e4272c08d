import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors/trustgrad-error';
import { checkAttackRadius } from './attack-radius';

describe('checkAttackRadius', () => {
  it('accepts finite radii ≥ 0, including 0 and tiny ones', () => {
    for (const eps of [0, 1e-30, 8 / 255, 0.3, 1e6]) expect(checkAttackRadius(eps)).toBe(eps);
  });

  it('rejects negative, non-finite and non-number radii, naming the option and the rule', () => {
    for (const eps of [-1e-9, -0.1, Number.NaN, Number.POSITIVE_INFINITY, '0.1', undefined, null]) {
      expect(() => checkAttackRadius(eps, 'attack.eps')).toThrow(InvalidOptionError);
      expect(() => checkAttackRadius(eps, 'attack.eps')).toThrow(
        /^attack\.eps must be a finite number ≥ 0 .*, got /,
      );
    }
    expect(() => checkAttackRadius('0.1', 'x')).toThrow(/got "0\.1"$/);
    expect(() => checkAttackRadius(undefined, 'x')).toThrow(/got undefined$/);
  });
});

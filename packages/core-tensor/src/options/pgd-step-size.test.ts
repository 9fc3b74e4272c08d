import { describe, expect, it } from 'vitest';
import { PGD_STEP_FACTOR, pgdStepSize } from './pgd-step-size';

describe('pgdStepSize', () => {
  it('is 2.5·ε/steps by default (Madry et al.), or factor·ε/steps', () => {
    expect(PGD_STEP_FACTOR).toBe(2.5);
    expect(pgdStepSize(0.1, 10)).toBeCloseTo(0.025, 15);
    expect(pgdStepSize(8 / 255, 7, 1)).toBeCloseTo(8 / 255 / 7, 15);
  });
});

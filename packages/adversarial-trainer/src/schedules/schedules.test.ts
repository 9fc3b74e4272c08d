import { describe, expect, it } from 'vitest';
import { cosineDecay } from './cosine-decay';
import { oneCycle } from './one-cycle';
import { stepDecay } from './step-decay';

const at = (step: number) => ({ step, stepsPerEpoch: 10, totalSteps: 101 });

describe('learning-rate schedules', () => {
  it('step decay multiplies by gamma at each milestone epoch', () => {
    const s = stepDecay({ initial: 0.1, milestones: [2, 4], gamma: 0.5 });
    expect([0, 19, 20, 39, 40, 100].map((t) => s.rate(at(t)))).toEqual([
      0.1, 0.1, 0.05, 0.05, 0.025, 0.025,
    ]);
    expect(() => stepDecay({ initial: 1, milestones: [3, 2] })).toThrow(/must increase/);
    // Unknown epoch length: NaN (the trainer turns it into an error), never a silent constant rate.
    expect(s.rate({ step: 40, stepsPerEpoch: Number.NaN, totalSteps: Number.NaN })).toBeNaN();
  });
  it("step decay in steps is MultiStepLR stepped per optimiser step (the authors' WRN: ÷10 at 40 000 and 50 000)", () => {
    const s = stepDecay({ initial: 0.1, milestones: [40000, 50000], unit: 'step' });
    const rates = [0, 39999, 40000, 49999, 50000, 69999].map((step) =>
      s.rate({ step, stepsPerEpoch: 391, totalSteps: 70000 }),
    );
    [0.1, 0.1, 0.01, 0.01, 0.001, 0.001].forEach((r, i) => expect(rates[i]).toBeCloseTo(r, 12));
    // no epoch length needed: the rate does not depend on it
    expect(s.rate({ step: 45000, stepsPerEpoch: Number.NaN, totalSteps: Number.NaN })).toBeCloseTo(
      0.01,
      12,
    );
    expect(() => stepDecay({ initial: 1, milestones: [1], unit: 'batch' as 'step' })).toThrow(
      /unit/,
    );
    expect(() => stepDecay({ initial: 1, milestones: [1], every: 2 } as never)).toThrow(
      /schedule "step" has no option "every"/,
    );
  });
  it('cosine goes from initial to final through the midpoint value', () => {
    const s = cosineDecay({ initial: 1, final: 0.2 });
    expect(s.rate(at(0))).toBeCloseTo(1, 12);
    expect(s.rate(at(50))).toBeCloseTo(0.6, 12);
    expect(s.rate(at(100))).toBeCloseTo(0.2, 12);
    expect(cosineDecay({ initial: 1, warmupSteps: 4 }).rate(at(1))).toBeCloseTo(0.5, 12);
  });
  it('one-cycle rises from max/div to max, then falls to max/(div·finalDiv)', () => {
    const s = oneCycle({ max: 1, pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4 });
    expect(s.rate(at(0))).toBeCloseTo(0.04, 12);
    expect(s.rate(at(29))).toBeCloseTo(1, 12);
    expect(s.rate(at(100))).toBeCloseTo(0.04 / 1e4, 12);
    expect(s.rate(at(60))).toBeLessThan(1);
  });

  it('reject misspelt options naming the schedule and the close option', () => {
    expect(() => cosineDecay({ initial: 1, finall: 0 } as never)).toThrow(
      /schedule "cosine" has no option "finall" \(did you mean "final"\?\)/,
    );
    expect(() => stepDecay({ initial: 1, milestones: [1], gama: 0.5 } as never)).toThrow(
      /did you mean "gamma"/,
    );
    expect(() => oneCycle({ max: 1, pctstart: 0.2 } as never)).toThrow(/did you mean "pctStart"/);
  });
});

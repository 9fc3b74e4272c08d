import { InvalidOptionError } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { PAPER_QUESTIONS, resolveStudyConfig } from '../src/study/study-config';
import { studyPlan } from '../src/study/study-plan';

const MATERIAL = { variants: ['ST', 'AT', 'AT+FMS'], explainers: ['vg', 'ig'], imageCount: 4 };

describe('resolveStudyConfig', () => {
  it('fills the defaults: the paper questions, Likert, all variants and images, the first explainer', () => {
    const config = resolveStudyConfig({ id: 'a' }, MATERIAL);
    expect(config).toMatchObject({
      design: 'likert',
      variants: MATERIAL.variants,
      explainers: ['vg'],
      images: [0, 1, 2, 3],
    });
    expect(config.questions.map((q) => q.id)).toEqual(['sufficiency', 'trust']);
    expect(config.questions).toBe(PAPER_QUESTIONS);
  });

  it('rejects unknown keys (with a suggestion), unknown variants, bad ids and impossible designs', () => {
    expect(() => resolveStudyConfig({ id: 'a', trails: 3 }, MATERIAL)).toThrow(/trails.*trials/);
    expect(() => resolveStudyConfig({ id: 'a', variants: ['NRAT'] }, MATERIAL)).toThrow(
      InvalidOptionError,
    );
    expect(() => resolveStudyConfig({ id: 'a', variants: 'AT' }, MATERIAL)).toThrow(
      /use some of ST, AT, AT\+FMS/,
    );
    expect(() => resolveStudyConfig({ id: '../a' }, MATERIAL)).toThrow(/study id/);
    expect(() => resolveStudyConfig({ id: 'a', images: [4] }, MATERIAL)).toThrow(/0 to 3/);
    expect(() =>
      resolveStudyConfig({ id: 'a', design: 'pairwise', variants: ['AT'] }, MATERIAL),
    ).toThrow(/two variants/);
    expect(() =>
      resolveStudyConfig({ id: 'a', questions: [{ id: 'attention', text: 'x' }] }, MATERIAL),
    ).toThrow(/reserved/);
    expect(() => resolveStudyConfig({ id: 'a', trials: 0 }, MATERIAL)).toThrow(/trials/);
  });
});

describe('studyPlan', () => {
  it('is the same for the same participant, different for another; covers each combination once before repeating', () => {
    const config = resolveStudyConfig({ id: 'a', trials: 12, attentionChecks: 0 }, MATERIAL);
    const plan = studyPlan(config, 'p1');
    expect(studyPlan(config, 'p1')).toEqual(plan);
    expect(studyPlan(config, 'p2')).not.toEqual(plan);
    // 4 images × 1 explainer × 3 variants = 12 combinations: each exactly once.
    const combos = new Set(plan.map((t) => `${t.image}|${t.explainer}|${t.variants[0]}`));
    expect(combos.size).toBe(12);
    expect(plan.map((t) => t.index)).toEqual([...Array(12).keys()]);
  });

  it('pairwise: every pair of variants, sides drawn at random; attention checks inserted on top of the trials', () => {
    const config = resolveStudyConfig(
      { id: 'b', design: 'pairwise', trials: 48, attentionChecks: 3, explainers: ['vg', 'ig'] },
      MATERIAL,
    );
    const plan = studyPlan(config, 'p1');
    expect(plan).toHaveLength(51);
    const checks = plan.filter((t) => t.attention !== undefined);
    expect(checks).toHaveLength(3);
    expect(checks.every((t) => t.attention === 'left' || t.attention === 'right')).toBe(true);
    const trials = plan.filter((t) => t.attention === undefined);
    // 4 images × 2 explainers × 3 pairs = 24 combinations, twice over.
    const pairs = trials.map((t) => [...t.variants].sort().join(' vs '));
    expect(new Set(pairs)).toEqual(new Set(['AT vs ST', 'AT+FMS vs ST', 'AT vs AT+FMS']));
    const leftFirst = trials.filter(
      (t) => MATERIAL.variants.indexOf(t.variants[0]) < MATERIAL.variants.indexOf(t.variants[1]),
    );
    // Sides are random: neither always in the configured order nor always reversed (48 draws).
    expect(leftFirst.length).toBeGreaterThan(10);
    expect(leftFirst.length).toBeLessThan(38);
    const likert = studyPlan(
      resolveStudyConfig({ id: 'c', attentionChecks: 2, likertPoints: 7 }, MATERIAL),
      'p1',
    );
    expect(
      likert
        .filter((t) => typeof t.attention === 'number')
        .every((t) => (t.attention as number) >= 1 && (t.attention as number) <= 7),
    ).toBe(true);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { LabelRangeError, NonFiniteInputError } from '../errors/trustgrad-error';
import { assertNoLeaks } from '../testing/leak-guard';
import { assertFinite } from './assert-finite';
import { assertLabelsInRange } from './assert-labels';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('assertFinite', () => {
  it('passes finite tensors, fails on NaN and ±Infinity counting them, leaks nothing', async () => {
    const ok = tf.tensor([0, -1e30, 1e-30, 3]);
    const bad = tf.tensor([0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    await assertNoLeaks(() => {
      assertFinite(ok, 'x');
      expect(() => assertFinite(bad, 'explain(): x')).toThrow(NonFiniteInputError);
      expect(() => assertFinite(bad, 'explain(): x')).toThrow(
        /explain\(\): x holds 3 NaN\/±Infinity values/,
      );
    });
    ok.dispose();
    bad.dispose();
  });
});

describe('assertLabelsInRange', () => {
  it('accepts 0..n-1 and rejects negatives, n, and non-integers naming index and fix', () => {
    const y = tf.tensor1d([0, 9, 3], 'int32');
    assertLabelsInRange(y, 10, 'y');
    expect(() => assertLabelsInRange(y, 9, 'y')).toThrow(LabelRangeError);
    expect(() => assertLabelsInRange(y, 9, 'y')).toThrow(/label 9 at index 1.*0\.\.8/);
    const neg = tf.tensor1d([-1], 'int32');
    expect(() => assertLabelsInRange(neg, 10, 'y')).toThrow(/label -1 at index 0/);
    const frac = tf.tensor1d([0.5]);
    expect(() => assertLabelsInRange(frac, 10, 'y')).toThrow(LabelRangeError);
    tf.dispose([y, neg, frac]);
  });
});

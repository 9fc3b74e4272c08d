// [slow] Trains the fmnistCnn architecture (16×16, 5 classes) for 30 steps on the
// synthetic quadrant data (~8 s on cpu), then checks IG completeness on a model
// with a real, confident decision (a random ReLU net is nearly homogeneous and
// its f(x) − f(b) too small for a meaningful relative check).
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainWithInfo } from '../index';
import { regionImages, trainedRegionCnn } from '../testing/region-model';
import { integratedGradients } from './integrated-gradients';

let model: tfl.LayersModel;

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
  model = trainedRegionCnn();
});

describe('[slow] attributions of a trained CNN whose class is decided by one quadrant', () => {
  it('the model learnt the task (so the checks below are about a real decision)', () => {
    const { x, labels } = regionImages(64, 99);
    const pred = tf.argMax(model.predict(x) as tf.Tensor, 1).arraySync() as number[];
    expect(pred.filter((p, i) => p === labels[i]).length / 64).toBeGreaterThan(0.9);
    x.dispose();
  });

  it('IG completeness: |gap| < 1% of |f(x) − f(b)| at m = 64 with Gauss–Legendre', () => {
    const { x, masks } = regionImages(4, 5);
    for (const baseline of ['zero', 'blur'] as const) {
      const { attributions, info } = explainWithInfo(integratedGradients, model, x, {
        steps: 64,
        rule: 'gauss-legendre',
        baseline,
        batchSize: 256,
      });
      const gap = info.completenessGap.arraySync();
      const diff = info.outputDifference.arraySync();
      const sums = tf.sum(tf.reshape(attributions, [4, -1]), 1).arraySync() as number[];
      for (let s = 0; s < 4; s++) {
        expect(Math.abs(diff[s])).toBeGreaterThan(1);
        expect(Math.abs(gap[s])).toBeLessThan(0.01 * Math.abs(diff[s]));
        expect(gap[s]).toBeCloseTo(sums[s] - diff[s], 3);
      }
      tf.dispose([attributions, info.completenessGap, info.outputDifference]);
    }
    tf.dispose([x, masks]);
  });

  it('IG completeness gap shrinks as m grows (mean |gap| over a batch, Riemann and Gauss–Legendre)', () => {
    const { x, masks } = regionImages(8, 6);
    for (const rule of ['riemann-left', 'riemann-trapezoid', 'gauss-legendre'] as const) {
      const gaps = [2, 8, 64].map((steps) => {
        const { attributions, info } = explainWithInfo(integratedGradients, model, x, {
          steps,
          rule,
          batchSize: 256,
        });
        const g = tf.mean(tf.abs(info.completenessGap)).dataSync()[0];
        tf.dispose([attributions, info.completenessGap, info.outputDifference]);
        return g;
      });
      expect(gaps[1]).toBeLessThan(gaps[0]);
      expect(gaps[2]).toBeLessThan(gaps[1]);
    }
    tf.dispose([x, masks]);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { initBackend, ShapeError } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { dlrLossPerSample, targetedDlrLossPerSample } from './dlr';
import { marginPerSample, sortedLogits } from './margin';

const LOGITS = [
  [3, 1, 2, 0],
  [0.5, 4, -1, 2],
  [1, 1, 0, -2],
];
const LABELS = [0, 0, 1];

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('margin and DLR losses', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
  });

  it('match hand-computed values (autopgd_base.py formulas)', () => {
    const z = tf.tensor2d(LOGITS);
    const y = tf.tensor1d(LABELS, 'int32');
    // margins: 3−2; 0.5−4; tie 1−1.
    expect(values(marginPerSample(z, y))).toEqual([1, -3.5, 0]);
    // DLR: −m / (z_π1 − z_π3): −1/(3−1); 3.5/(4−0.5); −0/(1−0).
    const dlr = values(dlrLossPerSample(z, y));
    [-0.5, 1, 0].forEach((v, i) => expect(dlr[i]).toBeCloseTo(v, 6));
    // targeted: −(z_y − z_t)/(z_π1 − (z_π3 + z_π4)/2), targets 2, 3, 3.
    const t = tf.tensor1d([2, 3, 3], 'int32');
    const dlrT = values(targetedDlrLossPerSample(z, y, t));
    [-(3 - 2) / (3 - 0.5), -(0.5 - 2) / (4 - (0.5 - 1) / 2), -(1 + 2) / (1 - (0 - 2) / 2)].forEach(
      (v, i) => expect(dlrT[i]).toBeCloseTo(v, 6),
    );
    const sorted = sortedLogits(z, 4, 'test').map(values);
    expect(sorted.map((s) => s[1])).toEqual([4, 2, 0.5, -1]);
    tf.dispose([z, y, t]);
  });

  it('are invariant to scaling and shifting the logits (the point of DLR)', () => {
    const z = tf.tensor2d(LOGITS);
    const y = tf.tensor1d(LABELS, 'int32');
    const t = tf.tensor1d([1, 2, 3], 'int32');
    const base = values(dlrLossPerSample(z, y));
    const baseT = values(targetedDlrLossPerSample(z, y, t));
    const moved = tf.add(tf.mul(z, 1e4), 7);
    values(dlrLossPerSample(moved as tf.Tensor2D, y)).forEach((v, i) =>
      expect(v).toBeCloseTo(base[i], 5),
    );
    values(targetedDlrLossPerSample(moved as tf.Tensor2D, y, t)).forEach((v, i) =>
      expect(v).toBeCloseTo(baseT[i], 5),
    );
    tf.dispose([z, y, t, moved]);
  });

  it('have the gradient of their formula (central finite differences)', () => {
    const z = tf.tensor2d([[0.3, 1.2, -0.4, 0.9, 0.1]]);
    const y = tf.tensor1d([3], 'int32');
    const t = tf.tensor1d([0], 'int32');
    for (const loss of [
      (l: tf.Tensor2D) => dlrLossPerSample(l, y),
      (l: tf.Tensor2D) => targetedDlrLossPerSample(l, y, t),
      (l: tf.Tensor2D) => marginPerSample(l, y),
    ]) {
      const g = values(tf.grad((l: tf.Tensor) => tf.sum(loss(l as tf.Tensor2D)))(z));
      const base = z.arraySync()[0];
      const h = 1e-3;
      base.forEach((_, j) => {
        const at = (d: number) =>
          tf.tidy(() => {
            const row = base.slice();
            row[j] += d;
            return loss(tf.tensor2d([row])).dataSync()[0];
          });
        expect(g[j]).toBeCloseTo((at(h) - at(-h)) / (2 * h), 2);
      });
    }
    tf.dispose([z, y, t]);
  });

  it('reject too few classes with a ShapeError', () => {
    const z = tf.tensor2d([[1, 2, 3]]);
    const y = tf.tensor1d([0], 'int32');
    expect(() => targetedDlrLossPerSample(z, y, y)).toThrow(ShapeError);
    expect(() => targetedDlrLossPerSample(z, y, y)).toThrow(/at least 4 classes/);
    expect(() => dlrLossPerSample(tf.tensor2d([[1, 2]]), y)).toThrow(/at least 3 classes/);
    tf.dispose([z, y]);
  });
});

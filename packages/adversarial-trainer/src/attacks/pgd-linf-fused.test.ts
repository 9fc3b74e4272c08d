import * as tf from '@tensorflow/tfjs-core';
import { initBackend, PGD_LINF_STEP, SeededRandom } from '@trustgrad/core-tensor';
import { describe, expect, it } from 'vitest';
import { tinyMlp } from '../testing/tiny-models';
import { attackRegistry as attacks } from './attack';
import './registry';

const shape: [number, number, number] = [6, 6, 1];

/**
 * Without mask or step weights pgd-linf takes core-tensor's fused
 * `pgdLinfStep`; a mask of ones sends it down the op-by-op composition (×1 is
 * exact), so the two must give the same adversarial batch bit for bit.
 */
describe('pgd-linf with the fused step', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`equals the op-by-op composition bit for bit on ${backend} (random start, per-sample ε)`, async () => {
      await initBackend({ backend, log: () => {} });
      const model = tinyMlp(shape);
      const rng = new SeededRandom(5);
      const x = rng.uniformTensor([8, ...shape], 0, 1) as tf.Tensor4D;
      const y = tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32');
      const eps = tf.tensor1d([0.1, 0.05, 0, 0.3, 0.1, 0.1, 0.2, 0.01]);
      const ones = tf.onesLike(x);
      const options = { eps, steps: 7, randomStart: true };
      const before = tf.memory().numTensors;
      let fused = x;
      const profile = await tf.profile(() => {
        fused = attacks.get('pgd-linf').run(model, x, y, { ...options, rng: new SeededRandom(9) });
        return fused;
      });
      const leaked = tf.memory().numTensors - before - 1;
      // One fused kernel per step, no Sign kernel left.
      expect(profile.kernelNames).toContain(PGD_LINF_STEP);
      expect(profile.kernelNames).not.toContain('Sign');
      const composed = attacks
        .get('pgd-linf')
        .run(model, x, y, { ...options, mask: ones, rng: new SeededRandom(9) });
      const [a, b] = [fused.dataSync(), composed.dataSync()];
      for (let i = 0; i < a.length; i++) {
        if (!Object.is(a[i], b[i])) throw new Error(`entry ${i}: fused ${a[i]}, composed ${b[i]}`);
      }
      // The attack moved the batch (not a vacuous equality of two clean copies).
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(fused, x))).dataSync()[0])).toBeGreaterThan(0.05);
      expect(leaked).toBe(0);
      tf.dispose([x, y, eps, ones, fused, composed]);
      model.dispose();
    });
  }
});

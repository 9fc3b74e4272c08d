import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropyPerSample } from '../losses/cross-entropy';
import { dlrLossPerSample, targetedDlrLossPerSample } from '../losses/dlr';
import { attackRegistry } from './attack';
import './registry';
import { type ReferenceMlp, referenceMlp } from '../testing/attack-fixtures';

/** Written by reference/make-apgd-reference.py from fra31/auto-attack's own APGD. */
interface Reference extends ReferenceMlp {
  steps: number;
  x: number[];
  y: number[];
  cases: {
    attack: string;
    norm: 'linf' | 'l2';
    eps: number;
    fooled: boolean[];
    lossBest: number[];
    xAdv: number[];
  }[];
}

const here = dirname(fileURLToPath(import.meta.url));
const ref = JSON.parse(
  readFileSync(join(here, 'reference', 'apgd-reference.json'), 'utf8'),
) as Reference;

const referenceModel = () => referenceMlp(ref);

describe('APGD against fra31/auto-attack (same start, same iterates)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
  });

  it.each(ref.cases.map((c) => [`${c.attack} ${c.norm}`, c] as const))(
    '%s: same adversarial points, fooled samples and best losses',
    (_label, c) => {
      const model = referenceModel();
      const x = tf.tensor4d(ref.x, ref.shape);
      const y = tf.tensor1d(ref.y, 'int32');
      const xAdv = attackRegistry.get(c.attack).run(model, x, y, {
        eps: c.eps,
        steps: ref.steps,
        norm: c.norm,
        randomStart: false,
        ...(c.attack === 'apgd-t' ? { nTargetClasses: 1 } : {}),
      });
      // Per sample, the largest coordinate difference to the reference's point.
      const got = xAdv.dataSync();
      const size = got.length / ref.shape[0];
      const diff = Array.from({ length: ref.shape[0] }, (_, s) => {
        let m = 0;
        for (let i = s * size; i < (s + 1) * size; i++)
          m = Math.max(m, Math.abs(got[i] - c.xAdv[i]));
        return m;
      });
      // float32 rounding (PyTorch's vs tfjs's reductions) is amplified by DLR's ratio in a
      // sample or two over 20 steps; the rest agree to a few ulps.
      expect(Math.max(...diff)).toBeLessThan(1e-3);
      expect(diff.filter((d) => d < 1e-5).length).toBeGreaterThanOrEqual(ref.shape[0] - 2);
      const logits = model.predict(xAdv) as tf.Tensor2D;
      const fooled = Array.from(tf.notEqual(tf.argMax(logits, 1), y).dataSync(), Boolean);
      expect(fooled).toEqual(c.fooled);
      // The loss at the returned point equals the reference's best loss where it returns the best-loss point.
      const target = tf.tidy(() => {
        const { indices } = tf.topk(model.predict(x) as tf.Tensor2D, 2);
        return tf.reshape(tf.slice(indices, [0, 1], [-1, 1]), [-1]) as tf.Tensor1D;
      });
      const loss =
        c.attack === 'apgd-ce'
          ? crossEntropyPerSample(logits, y)
          : c.attack === 'apgd-dlr'
            ? dlrLossPerSample(logits, y)
            : targetedDlrLossPerSample(logits, y, target);
      const losses = loss.dataSync();
      c.fooled.forEach((f, s) => {
        if (!f) expect(losses[s]).toBeCloseTo(c.lossBest[s], 4);
      });
      tf.dispose([x, y, xAdv, logits, target, loss]);
      model.dispose();
    },
  );
});

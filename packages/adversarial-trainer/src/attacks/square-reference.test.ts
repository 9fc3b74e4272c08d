import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { attackRegistry } from './attack';
import './registry';
import { type ReferenceMlp, referenceMlp } from '../testing/attack-fixtures';

/** Written by reference/make-square-reference.py from fra31/auto-attack's own Square attack. */
interface Reference extends ReferenceMlp {
  x: number[];
  y: number[];
  cases: {
    queries: number;
    rescaleSchedule: boolean;
    eps: number;
    draws: number[];
    fooled: boolean[];
    xAdv: number[];
  }[];
}

const here = dirname(fileURLToPath(import.meta.url));
const ref = JSON.parse(
  readFileSync(join(here, 'reference', 'square-reference.json'), 'utf8'),
) as Reference;

/** Replays the reference's uniforms in order; every draw of the attack goes through `uniform()`. */
class ReplayRandom extends SeededRandom {
  private next = 0;
  constructor(private readonly draws: readonly number[]) {
    super(0);
  }
  override uniform(): number {
    if (this.next >= this.draws.length)
      throw new Error('square drew more numbers than the reference');
    return this.draws[this.next++];
  }
  get used(): number {
    return this.next;
  }
}

const referenceModel = () => referenceMlp(ref);

describe('Square against fra31/auto-attack (same random numbers, same points)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
  });

  it.each(
    ref.cases.map(
      (c) => [`${c.queries} queries, rescale ${c.rescaleSchedule}, ε ${c.eps}`, c] as const,
    ),
  )('%s', (_label, c) => {
    const model = referenceModel();
    const x = tf.tensor4d(ref.x, ref.shape);
    const y = tf.tensor1d(ref.y, 'int32');
    const rng = new ReplayRandom(c.draws);
    const xAdv = attackRegistry.get('square').run(model, x, y, {
      eps: c.eps,
      steps: c.queries,
      rescaleSchedule: c.rescaleSchedule,
      rng,
    });
    expect(rng.used).toBe(c.draws.length);
    const got = xAdv.dataSync();
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - c.xAdv[i]));
    expect(worst).toBeLessThan(1e-6);
    const fooled = tf.tidy(() =>
      Array.from(
        tf.notEqual(tf.argMax(model.predict(xAdv) as tf.Tensor, 1), y).dataSync(),
        Boolean,
      ),
    );
    expect(fooled).toEqual(c.fooled);
    tf.dispose([x, y, xAdv]);
    model.dispose();
  });
});

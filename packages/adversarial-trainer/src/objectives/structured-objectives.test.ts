import * as tf from '@tensorflow/tfjs-core';
import {
  countLeakedTensors,
  InvalidOptionError,
  initBackend,
  SeededRandom,
} from '@trustgrad/core-tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttackOptions } from '../attacks/attack';
import { pgdLinf } from '../attacks/pgd-linf';
import { inMemoryBatchSource } from '../data/in-memory-batch-source';
import { saliencyMap } from '../explanations/saliency-map';
import { tinyCnn } from '../testing/tiny-models';
import { train } from '../training/train-node';
import { nratAttack } from './nrat';
import type { ObjectiveContext } from './objective';
import { objectiveRegistry as objectives } from './objective';
import './registry';
import { scaat } from './scaat';

const shape: [number, number, number] = [8, 8, 1];
let x: tf.Tensor4D;
let y: tf.Tensor1D;

function context<O>(
  model: ReturnType<typeof tinyCnn>,
  options: O,
  attackOptions: AttackOptions,
): ObjectiveContext<O> {
  const rng = new SeededRandom(0);
  return {
    model,
    x,
    y,
    attack: pgdLinf,
    attackOptions: { ...attackOptions, rng },
    rng,
    options,
    step: 0,
    epoch: 0,
    logits: (t) => model.apply(t, { training: true }) as tf.Tensor2D,
  };
}

describe('nrat, scaat, explanation-consistency', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
    const rng = new SeededRandom(7);
    x = rng.uniformTensor([12, ...shape], 0, 1) as tf.Tensor4D;
    y = tf.tensor1d(
      Array.from({ length: 12 }, (_, i) => i % 3),
      'int32',
    );
  });
  afterAll(() => tf.dispose([x, y]));

  it('nrat maps structures to attacks and converts ε to the attack norm', () => {
    const run: AttackOptions = { eps: 0.1, steps: 7, stepSize: 0.03 };
    expect(nratAttack({ structure: 'sparse', patch: 4 }, run, 1).attack.name).toBe('pgd-linf');
    expect(nratAttack({ patch: 4 }, run, 1).attack.name).toBe('pgd-linf');
    const group = nratAttack({ structure: 'group-sparse', patch: 4 }, run, 3);
    expect(group.attack.name).toBe('pgd-group');
    expect(group.options.eps).toBeCloseTo(0.1 * 4 * Math.sqrt(3), 10);
    expect(group.options.stepSize).toBeCloseTo(0.03 * 4 * Math.sqrt(3), 10);
    expect(group.options.patch).toBe(4);
    const smooth = nratAttack({ structure: 'smooth', patch: 2, eps: 1.5 }, run, 1);
    expect(smooth.attack.name).toBe('pgd-l2');
    expect(smooth.options.eps).toBe(1.5);
    expect(smooth.options.stepSize).toBeCloseTo(0.03 * 15, 10);
    const regularised = nratAttack({ structure: 'group-sparse', patch: 4, lambda: 0.5 }, run, 1);
    expect(regularised.attack.name).toBe('prox-regularised');
    expect((regularised.options.regulariser as { name: string }).name).toBe('group');
    expect(regularised.options.lambda).toBe(0.5);
    expect(
      nratAttack({ norm: 'linf', patch: 4, regulariser: 'elastic-net-conjugate' }, run, 1).options
        .regulariser,
    ).toMatchObject({
      name: 'elastic-net-conjugate',
    });
    expect(() => nratAttack({ structure: 'sparse', norm: 'l2', patch: 4 }, run, 1)).toThrow(
      /structure "sparse" needs the linf attack/,
    );
    expect(() => nratAttack({ structure: 'blobs' as 'sparse', patch: 4 }, run, 1)).toThrow(
      InvalidOptionError,
    );
  });

  it('scaat puts the perturbation energy outside the most salient pixels', () => {
    const model = tinyCnn(shape);
    const eps = 0.2;
    const prepared = scaat.prepare!(context(model, { ...scaat.defaults }, { eps, steps: 10 }));
    const saliency = saliencyMap(model, x, y);
    const delta = tf.sub(prepared.xAdv, x);
    // Fraction of Σδ² on each sample's top-10% saliency pixels.
    const topShare = (d: tf.Tensor) =>
      tf.tidy(() => {
        const n = 64;
        const s = tf.reshape(saliency, [12, n]);
        const threshold = tf.slice(
          tf.topk(s, Math.ceil(0.1 * n)).values,
          [0, Math.ceil(0.1 * n) - 1],
          [12, 1],
        );
        const top = tf.cast(tf.greaterEqual(s, threshold), 'float32');
        const energy = tf.square(tf.reshape(d, [12, n]));
        return tf.mean(tf.div(tf.sum(tf.mul(energy, top), 1), tf.sum(energy, 1))).dataSync()[0];
      });
    const scaatShare = topShare(delta);
    const plain = pgdLinf.run(model, x, y, { eps, steps: 10, rng: new SeededRandom(0) });
    const plainShare = topShare(tf.sub(plain, x));
    expect(scaatShare).toBeLessThan(0.05);
    expect(scaatShare).toBeLessThan(plainShare / 2);
    // The most salient pixel of each sample (S = 1) does not move at all.
    const atPeak = tf
      .sum(tf.mul(tf.abs(delta), tf.cast(tf.equal(prepared.saliency, 1), 'float32')))
      .dataSync()[0];
    expect(atPeak).toBe(0);
    tf.dispose([prepared.xAdv, prepared.saliency, saliency, delta, plain]);
    model.dispose();
  });

  it('scaat scales ε per sample so the batch mean is ε', () => {
    const model = tinyCnn(shape);
    const prepared = scaat.prepare!(
      context(model, { ...scaat.defaults, budget: 'uniform' }, { eps: 0.2, steps: 5 }),
    );
    const perSampleMax = tf
      .max(tf.abs(tf.sub(prepared.xAdv, x)), [1, 2, 3])
      .arraySync() as number[];
    const room = tf.mean(tf.sub(1, prepared.saliency), [1, 2, 3]).arraySync() as number[];
    const meanRoom = room.reduce((a, b) => a + b) / room.length;
    perSampleMax.forEach((m, i) => {
      expect(m).toBeLessThanOrEqual((0.2 * room[i]) / meanRoom + 1e-5);
    });
    expect(Math.max(...perSampleMax)).toBeGreaterThan(0.2 * 0.9);
    tf.dispose([prepared.xAdv, prepared.saliency]);
    model.dispose();
  });

  it.each([
    ['nrat', {}],
    ['nrat', { structure: 'group-sparse', patch: 4 }],
    ['nrat', { structure: 'smooth', lambda: 1 }],
    ['scaat', { robustLoss: 'kl' }],
    ['explanation-consistency', {}],
    ['explanation-consistency', { explanation: 'vg', similarity: 'pearson', temperature: 0.5 }],
  ] as const)(
    '%s %j trains by name through train() with a finite, falling loss and no leaks',
    async (name, options) => {
      const model = tinyCnn(shape);
      const losses: number[] = [];
      const run = () =>
        train(model, inMemoryBatchSource({ x, y, batchSize: 6 }), {
          epochs: 4,
          seed: 1,
          objective: name,
          objectiveOptions: options,
          attackOptions: { eps: 0.1, steps: 2 },
          optimizer: { name: 'adam' },
          learningRate: 0.01,
          progress: 'off',
          onStepEnd: (info) => {
            losses.push(info.loss);
          },
        });
      const leaked = await countLeakedTensors(run);
      expect(leaked).toBe(0);
      for (const l of losses) expect(Number.isFinite(l)).toBe(true);
      const firstEpoch = (losses[0] + losses[1]) / 2;
      const lastEpoch = (losses.at(-1)! + losses.at(-2)!) / 2;
      expect(lastEpoch).toBeLessThan(firstEpoch);
      expect(objectives.get(name).name).toBe(name);
      model.dispose();
    },
  );
});

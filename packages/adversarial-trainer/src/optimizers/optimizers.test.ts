import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  countLeakedTensors,
  FusedMomentumOptimizer,
  initBackend,
  SeededRandom,
} from '@trustgrad/core-tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../training/checkpoint';
import { createOptimizer, type OptimizerConfig, setLearningRate } from '../training/optimizer';
import { RADAM_DEFAULTS, RectifiedAdamOptimizer } from './rectified-adam';

/** Written by reference/make-optimizer-reference.py from PyTorch's optimisers and lessw2020's Ranger. */
interface Reference {
  shapes: Record<string, number[]>;
  params: Record<string, number[]>;
  grads: Array<Record<string, number[]>>;
  cases: Record<'radam' | 'ranger' | 'sgd_nesterov', Array<Record<string, number[]>>>;
}
const here = dirname(fileURLToPath(import.meta.url));
const reference = JSON.parse(
  readFileSync(join(here, 'reference', 'optimizer-reference.json'), 'utf8'),
) as Reference;
const dir = mkdtempSync(join(tmpdir(), 'optimizers-'));

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `optimizer` over the reference's fixed gradients and compares every step with PyTorch's parameters. */
function followReference(
  optimizer: tf.Optimizer,
  expected: Array<Record<string, number[]>>,
  options: { weightDecay?: number; rateAt?: (step: number) => number } = {},
): number {
  const names = Object.keys(reference.shapes);
  const variables = names.map((n, i) =>
    tf.variable(tf.tensor(reference.params[n], reference.shapes[n]), true, `ref_${i}_${n}`),
  );
  let worst = 0;
  expected.forEach((after, step) => {
    if (options.rateAt) setLearningRate(optimizer, options.rateAt(step));
    const grads = tf.tidy(() =>
      names.map((n, i) => {
        const g = tf.tensor(reference.grads[step][n], reference.shapes[n]);
        // the trainer's coupled weight decay (train-step.ts): g + λ·w
        return {
          name: variables[i].name,
          tensor: options.weightDecay ? tf.add(g, tf.mul(variables[i], options.weightDecay)) : g,
        };
      }),
    );
    optimizer.applyGradients(grads);
    tf.dispose(grads.map((g) => g.tensor));
    names.forEach((n, i) => {
      const got = variables[i].dataSync();
      after[n].forEach((v, k) => {
        worst = Math.max(worst, Math.abs(got[k] - v) / Math.max(1, Math.abs(v)));
      });
    });
  });
  tf.dispose(variables);
  optimizer.dispose();
  return worst;
}

describe('optimisers against PyTorch on fixed gradients (14 steps)', () => {
  it('radam equals torch.optim.RAdam, the unrectified steps 1–5 and the rectified ones after', () => {
    const worst = followReference(createOptimizer({ name: 'radam' }, 1e-2), reference.cases.radam);
    expect(worst).toBeLessThan(2e-6);
  });

  it("ranger equals lessw2020's Ranger 20.4.11 as the authors call it (lr 8e-3, ε 1e-6): GC, RAdam, Lookahead at steps 6 and 12", () => {
    const worst = followReference(
      createOptimizer({ name: 'ranger', epsilon: 1e-6 }, 8e-3),
      reference.cases.ranger,
    );
    expect(worst).toBeLessThan(2e-6);
    // without centralisation or with another k the trajectory leaves PyTorch's
    for (const config of [
      { name: 'ranger', epsilon: 1e-6, gradientCentralization: false },
      { name: 'ranger', epsilon: 1e-6, k: 5 },
    ] as OptimizerConfig[]) {
      expect(
        followReference(createOptimizer(config, 8e-3), reference.cases.ranger),
      ).toBeGreaterThan(1e-4);
    }
  });

  it("sgd with nesterov, the trainer's weight decay and lr ÷10 after step 6 equals torch.optim.SGD + MultiStepLR", () => {
    const worst = followReference(
      createOptimizer({ name: 'sgd', momentum: 0.9, nesterov: true }, 0.1),
      reference.cases.sgd_nesterov,
      { weightDecay: 5e-4, rateAt: (step) => (step < 6 ? 0.1 : 0.01) },
    );
    expect(worst).toBeLessThan(2e-6);
  });
});

describe('sgd with nesterov, by hand', () => {
  it("two steps follow PyTorch's b ← μb + g, w ← w − lr·(g + μb)", () => {
    const w = tf.variable(tf.tensor1d([1, -2]), true, 'hand_w');
    const optimizer = createOptimizer({ name: 'sgd', momentum: 0.9, nesterov: true }, 0.1);
    optimizer.applyGradients({ [w.name]: tf.tensor1d([0.5, 1]) });
    // b₁ = g₁ = [0.5, 1]; w₁ = w₀ − 0.1·(g₁ + 0.9·b₁) = [1 − 0.095, −2 − 0.19]
    const w1 = Array.from(w.dataSync());
    expect(w1[0]).toBeCloseTo(0.905, 6);
    expect(w1[1]).toBeCloseTo(-2.19, 6);
    optimizer.applyGradients({ [w.name]: tf.tensor1d([-1, 0.2]) });
    // b₂ = 0.9·b₁ + g₂ = [−0.55, 1.1]; w₂ = w₁ − 0.1·(g₂ + 0.9·b₂) = w₁ − 0.1·[−1.495, 1.19]
    const w2 = Array.from(w.dataSync());
    expect(w2[0]).toBeCloseTo(0.905 + 0.1495, 6);
    expect(w2[1]).toBeCloseTo(-2.19 - 0.119, 6);
    optimizer.dispose();
    w.dispose();
  });
});

describe('createOptimizer', () => {
  it('builds each name as its class and rejects unknown names and options', () => {
    expect(createOptimizer({ name: 'sgd' }, 0.1).getClassName()).toBe('SGD');
    expect(
      createOptimizer({ name: 'sgd', momentum: 0.9, nesterov: true }, 0.1).getClassName(),
    ).toBe('Momentum');
    // Momentum SGD runs as core-tensor's fused optimiser (tfjs's bit for bit, one kernel per variable).
    for (const config of [
      { name: 'sgd', momentum: 0.9 },
      { name: 'sgd', momentum: 0.9, nesterov: true },
      { name: 'momentum' },
    ] as OptimizerConfig[]) {
      // The constructor itself: tfjs's optimisers answer `instanceof` by duck typing.
      expect(createOptimizer(config, 0.1).constructor, JSON.stringify(config)).toBe(
        FusedMomentumOptimizer,
      );
    }
    expect(createOptimizer({ name: 'sgd' }, 0.1).constructor).toBe(tf.SGDOptimizer);
    expect(createOptimizer({ name: 'radam' }, 0.1).getClassName()).toBe('RectifiedAdam');
    expect(createOptimizer({ name: 'ranger' }, 0.1).getClassName()).toBe('Ranger');
    expect(() => createOptimizer({ name: 'lamb' } as unknown as OptimizerConfig, 0.1)).toThrow(
      /unknown optimizer "lamb"; known optimizers: sgd, momentum, adam, radam, ranger/,
    );
    expect(() =>
      createOptimizer({ name: 'sgd', nesterov: true, weightDecay: 1 } as OptimizerConfig, 0.1),
    ).toThrow(/optimizer "sgd": unknown option "weightDecay"; it takes momentum, nesterov/);
    expect(() => createOptimizer({ name: 'sgd', nesterov: true }, 0.1)).toThrow(/momentum > 0/);
    expect(() => createOptimizer({ name: 'ranger', k: 0 }, 0.1)).toThrow(/lookahead k/);
    expect(() => createOptimizer({ name: 'radam', beta2: 1 }, 0.1)).toThrow(/beta2/);
  });

  it('rectified Adam: ρ_t passes 5 at step 6 for β₂ = 0.999 (steps 1–5 are bias-corrected momentum)', () => {
    const opt = new RectifiedAdamOptimizer({ ...RADAM_DEFAULTS, learningRate: 1 });
    const rectified = Array.from({ length: 8 }, (_, t) => opt.stepScale(t + 1).rectified);
    expect(rectified).toEqual([false, false, false, false, false, true, true, true]);
    expect(opt.stepScale(1).scale).toBeCloseTo(1 / 0.1, 10);
    opt.dispose();
  });

  it('leaks no tensors per step (after the first, which makes the slots)', async () => {
    for (const config of [{ name: 'radam' }, { name: 'ranger' }] as OptimizerConfig[]) {
      const w = tf.variable(tf.ones([3, 2]), true, `leak_${config.name}`);
      const optimizer = createOptimizer(config, 0.01);
      const step = () =>
        tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.fill([3, 2], 0.3) }));
      step();
      for (let t = 0; t < 7; t++) expect(await countLeakedTensors(step), config.name).toBe(0);
      optimizer.dispose();
      w.dispose();
    }
  });
});

describe('checkpoints of the new optimisers', () => {
  /** A small dense model, its loss on fixed data, and `steps` optimiser steps. */
  function setup(config: OptimizerConfig) {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({
          inputShape: [4],
          units: 3,
          name: 'fc',
          kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
        }),
      ],
    });
    const optimizer = createOptimizer(config, 0.05);
    const rng = new SeededRandom(3);
    const x = tf.tensor2d(rng.normalArray(16), [4, 4]);
    const y = tf.tensor2d(rng.normalArray(12), [4, 3]);
    const run = (steps: number) => {
      for (let s = 0; s < steps; s++) {
        tf.tidy(() => {
          optimizer.minimize(
            () => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar,
          );
        });
      }
    };
    const weights = () => model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const dispose = () => {
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
    };
    return { model, optimizer, run, weights, dispose };
  }

  it('save → load → continue equals never stopping, bit for bit (across a Lookahead sync)', async () => {
    const configs: OptimizerConfig[] = [
      { name: 'radam' },
      { name: 'ranger' },
      { name: 'sgd', momentum: 0.9, nesterov: true },
    ];
    for (const config of configs) {
      const straight = setup(config);
      straight.run(10);
      const resumedFrom = setup(config);
      resumedFrom.run(4);
      const position = {
        epoch: 0,
        step: 4,
        batchIndex: 4,
        seed: 0,
        rng: new SeededRandom(0).getState(),
      };
      const folder = await saveCheckpoint(
        join(dir, config.name),
        resumedFrom.model,
        resumedFrom.optimizer,
        position,
      );
      resumedFrom.dispose();
      const fresh = setup(config);
      const restored = await loadCheckpoint(folder, fresh.model, fresh.optimizer);
      expect(restored.step).toBe(4);
      expect(fresh.optimizer.iterations).toBe(4);
      fresh.run(6); // steps 5–10: Ranger's slow weights sync at step 6
      expect(fresh.weights(), config.name).toEqual(straight.weights());
      straight.dispose();
      fresh.dispose();
    }
  });

  it('refuses state saved by the other rectified optimiser', async () => {
    const ranger = setup({ name: 'ranger' });
    ranger.run(2);
    const position = {
      epoch: 0,
      step: 2,
      batchIndex: 2,
      seed: 0,
      rng: new SeededRandom(0).getState(),
    };
    const folder = await saveCheckpoint(
      join(dir, 'cross'),
      ranger.model,
      ranger.optimizer,
      position,
    );
    const radam = setup({ name: 'radam' });
    await expect(loadCheckpoint(folder, radam.model, radam.optimizer)).rejects.toThrow(
      /saved with a Ranger optimizer but the run uses RectifiedAdam/,
    );
    ranger.dispose();
    radam.dispose();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  InvalidOptionError,
  initBackend,
  LabelRangeError,
  NonFiniteInputError,
  SeededRandom,
} from '@trustgrad/core-tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBatchSource } from '../data/batch-source';
import { inMemoryBatchSource } from '../data/in-memory-batch-source';
import { NonFiniteLossError } from '../errors/trainer-errors';
import { crossEntropy } from '../losses/cross-entropy';
import { defineObjective } from '../objectives/objective';
import { cosineDecay } from '../schedules/cosine-decay';
import { oneCycle } from '../schedules/one-cycle';
import { stepDecay } from '../schedules/step-decay';
import { tinyMlp } from '../testing/tiny-models';
import type { TrainOptions } from './train';
import { train } from './train-node';

const shape: [number, number, number] = [6, 6, 1];
let x: tf.Tensor4D;
let y: tf.Tensor1D;
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'at-train-'));
  dirs.push(dir);
  return dir;
}

function weightsOf(model: ReturnType<typeof tinyMlp>): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

const base: TrainOptions = {
  epochs: 2,
  seed: 3,
  objective: 'pgd-at',
  attackOptions: { eps: 0.1, steps: 2 },
  optimizer: { name: 'adam' },
  learningRate: 0.01,
  progress: 'off',
};

describe('train', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
    const rng = new SeededRandom(11);
    x = rng.uniformTensor([64, ...shape]) as tf.Tensor4D;
    // A learnable rule: the class is which quadrant is brightest.
    const q = tf.tidy(() =>
      tf.stack(
        [0, 1, 2, 3].map((k) =>
          tf.mean(tf.slice(x, [0, (k >> 1) * 3, (k & 1) * 3, 0], [64, 3, 3, 1]), [1, 2, 3]),
        ),
        1,
      ),
    );
    y = tf.argMax(q, 1) as tf.Tensor1D;
    q.dispose();
  });
  afterAll(() => {
    tf.dispose([x, y]);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('gives identical weights for the same seed and different ones for another seed', async () => {
    const run = async (seed: number) => {
      const model = tinyMlp(shape, 16, 4, 1);
      await train(model, inMemoryBatchSource({ x, y, batchSize: 16 }), { ...base, seed });
      return weightsOf(model);
    };
    const [a, b, c] = [await run(3), await run(3), await run(4)];
    a.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(b[i])));
    expect(Array.from(a[0])).not.toEqual(Array.from(c[0]));
  });

  it('learns (loss falls) and reports per-epoch evaluation with counts', async () => {
    const model = tinyMlp(shape, 16, 4, 1);
    const result = await train(model, inMemoryBatchSource({ x, y, batchSize: 16 }), {
      ...base,
      objective: 'standard',
      epochs: 6,
      evaluation: {
        data: inMemoryBatchSource({ x, y, batchSize: 32, shuffle: false }),
        eps: 0.05,
        steps: 3,
      },
    });
    expect(result.steps).toBe(24);
    expect(result.epochs[5].loss).toBeLessThan(result.epochs[0].loss);
    const ev = result.epochs[5].evaluation!;
    expect(ev.clean.total).toBe(64);
    expect(ev.clean.accuracy).toBe(ev.clean.correct / 64);
    expect(ev.robust.correct).toBeLessThanOrEqual(ev.clean.correct + 2);
  });

  it('leaks no tensors across 100 steps', async () => {
    const model = tinyMlp(shape, 16, 4, 1);
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    await train(model, inMemoryBatchSource({ x, y, batchSize: 16 }), {
      ...base,
      objective: 'trades',
      epochs: 25,
      weightDecay: 1e-3,
      learningRate: 0.001,
      onStepEnd: () => {
        counts.push(tf.memory().numTensors);
      },
    });
    expect(counts.length).toBe(100);
    // Step 1 creates the optimiser's slots; after that nothing may accumulate.
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops on a non-finite loss before applying it, naming the step and the last checkpoint', async () => {
    const model = tinyMlp(shape, 16, 4, 1);
    const explodes = defineObjective(
      {
        name: 'explodes-at-step-5',
        description: 'CE, then NaN at step 5',
        defaults: {},
        loss(ctx) {
          const logits = ctx.logits(ctx.x);
          const ce = crossEntropy(logits, ctx.y);
          return { loss: ctx.step === 5 ? (tf.mul(ce, Number.NaN) as tf.Scalar) : ce, logits };
        },
      },
      { register: false },
    ); // used as an object, not by name
    const dir = tempDir();
    let weightsAfterStep5: Float32Array[] = [];
    const error = await train(model, inMemoryBatchSource({ x, y, batchSize: 16 }), {
      ...base,
      objective: explodes,
      epochs: 3,
      checkpoint: { dir, everySteps: 2 },
      onStepEnd: ({ step }) => {
        if (step === 5) weightsAfterStep5 = weightsOf(model);
      },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect(error.step).toBe(5);
    expect(error.epoch).toBe(1);
    // Step 4 ends epoch 0: saved mid-epoch as step-000000004, then as the epoch's end.
    expect(error.lastCheckpoint).toBe(join(dir, 'step-000000004-end'));
    expect(error.message).toMatch(/loss is NaN at step 5 \(epoch 1\).*step-000000004-end/);
    weightsOf(model).forEach((w, i) =>
      expect(Array.from(w)).toEqual(Array.from(weightsAfterStep5[i])),
    );
  });

  it('resumes from a checkpoint to exactly the weights of an uninterrupted run', async () => {
    const options: TrainOptions = {
      ...base,
      epochs: 3,
      weightDecay: 1e-3,
      optimizer: { name: 'momentum' },
    };
    const full = tinyMlp(shape, 16, 4, 1);
    await train(full, inMemoryBatchSource({ x, y, batchSize: 16 }), options);

    const dir = tempDir();
    const crashing = tinyMlp(shape, 16, 4, 1);
    const crash = await train(crashing, inMemoryBatchSource({ x, y, batchSize: 16 }), {
      ...options,
      checkpoint: { dir, everySteps: 3 },
      onStepEnd: ({ step }) => {
        if (step === 7) throw new Error('simulated crash');
      },
    }).catch((e: Error) => e);
    expect((crash as Error).message).toBe('simulated crash');

    const resumed = tinyMlp(shape, 16, 4, 99); // different init: everything must come from the checkpoint
    const result = await train(resumed, inMemoryBatchSource({ x, y, batchSize: 16 }), {
      ...options,
      checkpoint: { dir, everySteps: 3 },
      resume: true,
    });
    expect(result.resumedFrom).toBe(join(dir, 'step-000000006'));
    expect(result.steps).toBe(12);
    const a = weightsOf(full);
    weightsOf(resumed).forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(a[i])));
  });

  it('runs epoch-length schedules on a batch factory given its epoch length, and refuses them without it', async () => {
    const source = inMemoryBatchSource({ x, y, batchSize: 16 }); // 4 batches per epoch
    const factory = (epoch: number, seed: number) => source.batches(epoch, seed, 0);
    const rates: number[] = [];
    await train(tinyMlp(shape), toBatchSource(factory, 4), {
      ...base,
      objective: 'standard',
      learningRate: cosineDecay({ initial: 0.01 }),
      onStepEnd: (info) => {
        rates.push(info.learningRate);
      },
    });
    const cosine = cosineDecay({ initial: 0.01 });
    expect(rates).toEqual(
      Array.from({ length: 8 }, (_, step) =>
        cosine.rate({ step, stepsPerEpoch: 4, totalSteps: 8 }),
      ),
    );
    expect(rates[7]).toBe(0);
    const stepRates: number[] = [];
    await train(tinyMlp(shape), toBatchSource(factory, 4), {
      ...base,
      objective: 'standard',
      learningRate: stepDecay({ initial: 0.01, milestones: [1], gamma: 0.5 }),
      onStepEnd: (info) => {
        stepRates.push(info.learningRate);
      },
    });
    expect(stepRates).toEqual([0.01, 0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.005]);
    for (const schedule of [
      cosineDecay({ initial: 0.01 }),
      oneCycle({ max: 0.01 }),
      stepDecay({ initial: 0.01, milestones: [1] }),
    ]) {
      await expect(
        train(tinyMlp(shape), factory, { ...base, objective: 'standard', learningRate: schedule }),
      ).rejects.toThrow(
        new RegExp(`"${schedule.name}" gave NaN at step 0; it needs the epoch length`),
      );
    }
  });

  it('rejects bad options with messages that say what to do', async () => {
    const model = tinyMlp(shape);
    const source = inMemoryBatchSource({ x, y, batchSize: 16 });
    await expect(
      train(model, source, { epochs: 1, objective: 'pgd-at', progress: 'off' }),
    ).rejects.toThrow(/needs attackOptions\.eps/);
    await expect(train(model, source, { epochs: 0 })).rejects.toThrow(/epochs must be an integer/);
    await expect(train(model, source, { epochs: 1, objective: 'madry' })).rejects.toThrow(
      /unknown objective "madry"; known objectives: explanation-consistency, nrat, pgd-at, scaat, standard, trades/,
    );
    await expect(train(model, source, { epochs: 1, resume: true })).rejects.toThrow(
      /needs checkpoint\.dir/,
    );
  });

  it('rejects misspelt objective and attack options before training', async () => {
    const model = tinyMlp(shape);
    const source = inMemoryBatchSource({ x, y, batchSize: 16 });
    const before = weightsOf(model);
    await expect(
      train(model, source, {
        ...base,
        objective: 'trades',
        objectiveOptions: { betta: 3 },
      }),
    ).rejects.toThrow(
      /objective "trades" has no option "betta" \(did you mean "beta"\?\); its options are beta, startNoise/,
    );
    await expect(
      train(model, source, { ...base, attackOptions: { eps: 0.1, stpes: 2 } as never }),
    ).rejects.toThrow(InvalidOptionError);
    await expect(
      train(model, source, { ...base, attackOptions: { eps: 0.1, stpes: 2 } as never }),
    ).rejects.toThrow(/attack "pgd-linf" has no option "stpes" \(did you mean "steps"\?\)/);
    expect(weightsOf(model)).toEqual(before);
    model.dispose();
  });

  it('rejects labels outside the model classes and NaN inputs instead of training on them', async () => {
    const model = tinyMlp(shape, 16, 4, 1);
    const before = weightsOf(model);
    const badY = tf.tidy(() => tf.concat([tf.slice(y, 0, 4), tf.fill([60], 4, 'int32')]));
    await expect(
      train(
        model,
        inMemoryBatchSource({ x, y: badY as tf.Tensor1D, batchSize: 16, shuffle: false }),
        {
          ...base,
          objective: 'standard',
        },
      ),
    ).rejects.toThrow(LabelRangeError);
    await expect(
      train(
        model,
        inMemoryBatchSource({ x, y: badY as tf.Tensor1D, batchSize: 16, shuffle: false }),
        {
          ...base,
          objective: 'standard',
        },
      ),
    ).rejects.toThrow(/batch 0 of epoch 0: y has label 4 at index 4; the model has 4 classes/);
    const badX = tf.tidy(() =>
      tf.where(tf.equal(tf.range(0, x.size).reshape(x.shape), 5), Number.NaN, x),
    ) as tf.Tensor4D;
    await expect(
      train(model, inMemoryBatchSource({ x: badX, y, batchSize: 16, shuffle: false }), {
        ...base,
        objective: 'standard',
      }),
    ).rejects.toThrow(NonFiniteInputError);
    // Each bad batch is the first one and fails before its step: the model is untouched.
    expect(weightsOf(model)).toEqual(before);
    tf.dispose([badY, badX]);
    model.dispose();
  });
});

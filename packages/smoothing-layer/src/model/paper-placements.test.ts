import * as tf from '@tensorflow/tfjs-core';
import {
  initBackend,
  LENET5_PAPER_BLOCK,
  lenet5,
  SeededRandom,
  WIDE_RESNET_PAPER_BLOCK,
  wideResNet,
} from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { GaussianSmoothing } from '../layer/gaussian-smoothing';
import { PaperSmoothingBlock } from '../layer/paper-smoothing-block';
import { gaussianSmooth } from '../smoothing/gaussian-smooth';
import { insertSmoothing } from './insert-smoothing';
import { smoothingBlocks } from './smoothing-blocks';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe("the paper block at the authors' places in the zoo models", () => {
  it('LeNet-5: after pool1 (12×12×6), σ = 2.15 from the width rule, PyTorch init; 42 more weights', () => {
    const base = lenet5({ seed: 0 });
    const model = insertSmoothing(base, { ...LENET5_PAPER_BLOCK, block: 'paper' });
    const block = model.getLayer('pool1_smoothing') as PaperSmoothingBlock;
    expect(block).toBeInstanceOf(PaperSmoothingBlock);
    expect(block.init).toBe('pytorch-default');
    expect(model.countParams()).toBe(44426 + 6 * 6 + 6);
    // the block's Gaussian is the 3×3 one with σ = 2.15
    const h = tf.tensor4d(new SeededRandom(1).normalArray(2 * 144 * 6), [2, 12, 12, 6]);
    const [f, g] = [block.applyFilter(h), gaussianSmooth(h, 2.15, 3, 'reflect')];
    expect(Array.from(f.dataSync())).toEqual(Array.from(g.dataSync()));
    expect(smoothingBlocks(model)).toEqual([
      {
        layer: 'pool1_smoothing',
        after: 'pool1',
        block: 'paper',
        label: 'paper gaussian 3×3 σ=authors-width-rule (2.15) reflect after pool1',
      },
    ]);
    const y = model.predict(tf.zeros([1, 28, 28, 1])) as tf.Tensor;
    expect(y.shape).toEqual([1, 10]);
    tf.dispose([h, f, g, y]);
    model.dispose();
    base.dispose();
  });

  it('WideResNet: after group1_out (32×32×16k) with the authors’ he-normal-fan-out init', () => {
    const base = wideResNet({ depth: 10, widenFactor: 2, seed: 0 });
    const model = insertSmoothing(base, {
      ...WIDE_RESNET_PAPER_BLOCK,
      block: 'paper',
      filter: 'median',
    });
    const block = model.getLayer('group1_out_smoothing') as PaperSmoothingBlock;
    expect(block.init).toBe('he-normal-fan-out');
    expect(block.outputShape).toEqual([null, 32, 32, 32]);
    expect(model.countParams()).toBe(base.countParams() + 32 * 32 + 32);
    expect(smoothingBlocks(model)[0].label).toBe('paper median 3×3 same after group1_out');
    model.dispose();
    base.dispose();
  });

  it('labels the bare Gaussian too, and a model without a block has none', () => {
    const base = lenet5();
    const bare = insertSmoothing(base, { after: 'conv1', sigma: 1, trainableSigma: true });
    expect(bare.getLayer('conv1_smoothing')).toBeInstanceOf(GaussianSmoothing);
    expect(smoothingBlocks(bare).map((b) => [b.block, b.label])).toEqual([
      ['gaussian', 'gaussian 5×5 σ=1 (trainable) reflect after conv1'],
    ]);
    expect(smoothingBlocks(base)).toEqual([]);
    bare.dispose();
    base.dispose();
  });
});

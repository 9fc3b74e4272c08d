import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend';
import { IMAGENETTE_RESNET18_PAPER_BLOCK, imagenetteResNet18 } from './imagenette-resnet18';
import { LENET5_PAPER_BLOCK, lenet5 } from './lenet5';
import { WIDE_RESNET_PAPER_BLOCK, wideResNet } from './wide-resnet';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const trainableCount = (model: tfl.LayersModel) =>
  model.trainableWeights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);

/**
 * Trainable parameters of WRN-depth-k with 10 classes, counted from the architecture:
 * stem 3×3×3×16; per block BN(in) + 3×3 in→out + BN(out) + 3×3 out→out (+ 1×1 in→out
 * where the width changes); final BN(64k) and the 64k→10 linear layer.
 */
function wideResNetParams(depth: number, k: number): number {
  const n = (depth - 4) / 6;
  const widths = [16, 16 * k, 32 * k, 64 * k];
  let total = 3 * 9 * 16;
  for (let g = 1; g <= 3; g++) {
    for (let b = 1; b <= n; b++) {
      const cin = b === 1 ? widths[g - 1] : widths[g];
      const cout = widths[g];
      total += 2 * cin + 9 * cin * cout + 2 * cout + 9 * cout * cout;
      if (cin !== cout) total += cin * cout;
    }
  }
  return total + 2 * widths[3] + widths[3] * 10 + 10;
}

describe('lenet5 (SPEC 6)', () => {
  it('is conv 6@5×5 → pool → conv 16@5×5 → pool → 120 → 84 → 10, 44 426 parameters', () => {
    const model = lenet5();
    expect(model.layers.map((l) => l.name)).toEqual([
      'conv1',
      'pool1',
      'conv2',
      'pool2',
      'flatten',
      'fc1',
      'fc2',
      'logits',
    ]);
    const shapes = model.layers.map((l) => l.outputShape);
    expect(shapes).toEqual([
      [null, 24, 24, 6],
      [null, 12, 12, 6],
      [null, 8, 8, 16],
      [null, 4, 4, 16],
      [null, 256],
      [null, 120],
      [null, 84],
      [null, 10],
    ]);
    // 6·25+6, 16·150+16, 256·120+120, 120·84+84, 84·10+10
    expect(model.layers.map((l) => l.countParams())).toEqual([
      156, 0, 2416, 0, 0, 30840, 10164, 850,
    ]);
    expect(model.countParams()).toBe(44426);
    const activations = model.layers.map(
      (l) => (l.getConfig() as { activation?: string }).activation,
    );
    expect(activations).toEqual([
      'relu',
      undefined,
      'relu',
      undefined,
      undefined,
      'relu',
      'relu',
      'linear',
    ]);
    const y = model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor;
    expect(y.shape).toEqual([2, 10]);
    y.dispose();
    model.dispose();
  });

  it("starts as PyTorch's default: weights and biases in U(±1/√fan_in), filling the range", () => {
    const model = lenet5({ seed: 1 });
    const fanIns = { conv1: 25, conv2: 150, fc1: 256, fc2: 120, logits: 84 };
    for (const [name, fanIn] of Object.entries(fanIns)) {
      for (const w of model.getLayer(name).getWeights()) {
        const values = Array.from(w.dataSync()).map(Math.abs);
        const bound = 1 / Math.sqrt(fanIn);
        expect(Math.max(...values), name).toBeLessThanOrEqual(bound);
        if (values.length > 50) expect(Math.max(...values), name).toBeGreaterThan(0.9 * bound);
      }
    }
    model.dispose();
  });

  it('puts the paper block after pool1 (12×12×6) and is reproducible under a seed', () => {
    expect(LENET5_PAPER_BLOCK).toEqual({ after: 'pool1', init: 'pytorch-default' });
    const a = lenet5({ seed: 3 });
    const b = lenet5({ seed: 3 });
    const c = lenet5({ seed: 4 });
    expect(a.getLayer(LENET5_PAPER_BLOCK.after).outputShape).toEqual([null, 12, 12, 6]);
    const flat = (m: tfl.LayersModel) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));
    expect(flat(b)).toEqual(flat(a));
    expect(flat(c)).not.toEqual(flat(a));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('rejects unknown options', () => {
    expect(() => lenet5({ filters: [6, 16] } as object)).toThrow(
      /model "lenet5" has no option "filters"; its options are inputShape, numClasses, seed/,
    );
  });
});

describe('wideResNet (Zagoruyko & Komodakis; the authors’ CIFAR-10 model)', () => {
  it('counts 36 479 194 parameters for WRN-28-10 and 2 748 890 for WRN-16-4 (as the authors’ PyTorch model)', () => {
    // the figures PyTorch reports for the authors' WideResNet class (without its denoise block)
    expect(wideResNetParams(28, 10)).toBe(36479194);
    expect(wideResNetParams(16, 4)).toBe(2748890);
    for (const [depth, k] of [
      [10, 1],
      [16, 2],
      [22, 1],
    ]) {
      const model = wideResNet({ depth, widenFactor: k });
      expect(trainableCount(model), `WRN-${depth}-${k}`).toBe(wideResNetParams(depth, k));
      model.dispose();
    }
  });

  it('has n pre-activation blocks per group, the block position group1_out, and pads stride-2 convs like PyTorch', () => {
    const model = wideResNet({ depth: 16, widenFactor: 2 });
    expect(WIDE_RESNET_PAPER_BLOCK).toEqual({ after: 'group1_out', init: 'he-normal-fan-out' });
    expect(model.getLayer('group1_out').outputShape).toEqual([null, 32, 32, 32]);
    expect(model.getLayer('group2_out').outputShape).toEqual([null, 16, 16, 64]);
    expect(model.getLayer('group3_out').outputShape).toEqual([null, 8, 8, 128]);
    const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.name);
    // stem + 3 groups × 2 blocks × 2 convs + one 1×1 shortcut per group = 16 layers deep + 3
    expect(convs).toHaveLength(1 + 12 + 3);
    expect(convs.filter((n) => n.endsWith('_shortcut'))).toEqual([
      'group1_block1_shortcut',
      'group2_block1_shortcut',
      'group3_block1_shortcut',
    ]);
    expect(model.getLayer('group2_block1_conv1_pad').outputShape).toEqual([null, 34, 34, 32]);
    // a block whose width changes shares its first BN-ReLU between the branch and the 1×1 shortcut
    const shortcutInput = model.getLayer('group2_block1_shortcut').inboundNodes[0].inboundLayers[0];
    expect(shortcutInput.name).toBe('group2_block1_relu1');
    // an identity block adds its raw input
    const add = model.getLayer('group1_out'); // block 2 of 2: the group's last sum
    expect(add.inboundNodes[0].inboundLayers.map((l) => l.name)).toEqual([
      'group1_block2_conv2',
      'group1_block1_add',
    ]);
    model.dispose();
  });

  it('initialises as the authors: convs N(0, 2/fan_out), BN γ=1 β=0, linear bias 0', () => {
    const model = wideResNet({ depth: 10, widenFactor: 4, seed: 2 });
    const conv = Array.from(model.getLayer('group1_block1_conv2').getWeights()[0].dataSync());
    const sd = Math.sqrt(conv.reduce((s, v) => s + v * v, 0) / conv.length);
    const expected = Math.sqrt(2 / (9 * 64));
    expect(sd / expected).toBeGreaterThan(0.97);
    expect(sd / expected).toBeLessThan(1.03);
    expect(Math.max(...conv.map(Math.abs)) / expected).toBeGreaterThan(2.5); // untruncated
    const [gamma, beta] = model.getLayer('final_bn').getWeights();
    expect(Array.from(gamma.dataSync()).every((v) => v === 1)).toBe(true);
    expect(Array.from(beta.dataSync()).every((v) => v === 0)).toBe(true);
    expect(
      Array.from(model.getLayer('logits').getWeights()[1].dataSync()).every((v) => v === 0),
    ).toBe(true);
    expect(model.getLayer('final_bn').getConfig()).toMatchObject({ momentum: 0.9, epsilon: 1e-5 });
    model.dispose();
  });

  it('the same seed gives the same weights; bad depth, widen factor and unknown options are rejected', () => {
    const flat = (m: tfl.LayersModel) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const [a, b, c] = [1, 1, 2].map((seed) => wideResNet({ depth: 10, widenFactor: 1, seed }));
    expect(flat(b)).toEqual(flat(a));
    expect(flat(c)).not.toEqual(flat(a));
    [a, b, c].forEach((m) => m.dispose());
    expect(() => wideResNet({ depth: 27 })).toThrow(/6n\+4/);
    expect(() => wideResNet({ widenFactor: 0 })).toThrow(/widenFactor/);
    expect(() => wideResNet({ widen: 4 } as object)).toThrow(
      /model "wide-resnet" has no option "widen"/,
    );
  });

  it('[slow] WRN-16-4 runs a forward and backward pass on a small batch (wasm)', async () => {
    await initBackend({ backend: 'wasm', log: () => {} });
    const model = wideResNet({ depth: 16, widenFactor: 4, seed: 0 });
    expect(trainableCount(model)).toBe(2748890);
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 1);
    const labels = tf.oneHot(tf.tensor1d([3, 7], 'int32'), 10);
    const { value, grads } = tf.variableGrads(
      () =>
        tf.losses.softmaxCrossEntropy(
          labels,
          model.apply(x, { training: true }) as tf.Tensor,
        ) as tf.Scalar,
      model.trainableWeights.map((w) => w.read() as tf.Variable),
    );
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    const gradients = Object.values(grads);
    expect(gradients).toHaveLength(model.trainableWeights.length);
    const norms = gradients.map((g) => tf.tidy(() => tf.norm(g).dataSync()[0]));
    expect(norms.every((n) => Number.isFinite(n))).toBe(true);
    expect(norms.filter((n) => n > 0).length).toBe(norms.length);
    tf.dispose([x, labels, value, ...gradients]);
    model.dispose();
    await initBackend({ backend: 'cpu', log: () => {} });
  });
});

/** Written by reference/make-wide-resnet-reference.py from the authors' PyTorch WideResNet. */
interface WideResNetReference {
  depth: number;
  widenFactor: number;
  tensors: Array<{ name: string; shape: number[]; a: number; b: number; offset: number }>;
  logits: number[];
}

/** The tfjs layer and weight index holding a PyTorch state_dict entry of the authors' WideResNet. */
function tfjsWeightOf(torchName: string): [string, number] {
  const bnIndex = { weight: 0, bias: 1, running_mean: 2, running_var: 3 } as Record<string, number>;
  const parts = torchName.split('.');
  if (parts[0] === 'conv1') return ['stem_conv', 0];
  if (parts[0] === 'bn1') return ['final_bn', bnIndex[parts[1]]];
  if (parts[0] === 'fc') return ['logits', parts[1] === 'weight' ? 0 : 1];
  // block{g}.layer.{i}.{bn1|conv1|bn2|conv2|convShortcut}.{…}
  const prefix = `group${parts[0].slice(5)}_block${Number(parts[2]) + 1}`;
  if (parts[3] === 'convShortcut') return [`${prefix}_shortcut`, 0];
  if (parts[3].startsWith('conv')) return [`${prefix}_${parts[3]}`, 0];
  return [`${prefix}_${parts[3]}`, bnIndex[parts[4]]];
}

describe('wideResNet against the authors’ PyTorch WideResNet', () => {
  it('WRN-10-2 with the same (formula) weights gives the same logits in eval mode', () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const ref = JSON.parse(
      readFileSync(join(here, 'reference', 'wide-resnet-reference.json'), 'utf8'),
    ) as WideResNetReference;
    const model = wideResNet({ depth: ref.depth, widenFactor: ref.widenFactor });
    const byLayer = new Map<string, tf.Tensor[]>();
    for (const t of ref.tensors) {
      const size = t.shape.reduce((a, b) => a * b, 1);
      const values = Float32Array.from(
        { length: size },
        (_, i) => t.a + t.b * Math.sin(0.7 * (t.offset + i) + 0.3),
      );
      const torchLayout = tf.tensor(values, t.shape);
      // PyTorch conv [out, in, kh, kw] → tfjs [kh, kw, in, out]; linear [out, in] → [in, out]
      const value =
        t.shape.length === 4
          ? tf.transpose(torchLayout, [2, 3, 1, 0])
          : t.shape.length === 2
            ? tf.transpose(torchLayout)
            : torchLayout;
      const [layer, index] = tfjsWeightOf(t.name);
      const weights =
        byLayer.get(layer) ??
        model
          .getLayer(layer)
          .getWeights()
          .map((w) => w.clone());
      expect(weights[index].shape, t.name).toEqual(value.shape);
      weights[index] = value;
      byLayer.set(layer, weights);
    }
    // every weight of the tfjs model came from the reference
    expect([...byLayer.values()].flat().length).toBe(model.weights.length);
    for (const [layer, weights] of byLayer) model.getLayer(layer).setWeights(weights);
    const nchw = tf.tensor(
      Float32Array.from({ length: 2 * 3 * 32 * 32 }, (_, i) => 0.5 * Math.sin(0.11 * i)),
      [2, 3, 32, 32],
    );
    const y = model.predict(tf.transpose(nchw, [0, 2, 3, 1])) as tf.Tensor;
    const got = y.dataSync();
    const scale = Math.max(...ref.logits.map(Math.abs));
    const worst = Math.max(...ref.logits.map((v, i) => Math.abs(got[i] - v)));
    expect(worst / scale).toBeLessThan(1e-4);
    tf.dispose([nchw, y, ...[...byLayer.values()].flat()]);
    model.dispose();
  });
});

describe('imagenetteResNet18 at 224 px (the authors’ ImageNette model)', () => {
  it('has 11 181 642 trainable parameters at width 64 (torchvision resnet18, 10 classes)', () => {
    const model = imagenetteResNet18({ inputShape: [224, 224, 3] });
    expect(trainableCount(model)).toBe(11181642);
    expect(model.getLayer(IMAGENETTE_RESNET18_PAPER_BLOCK.after).outputShape).toEqual([
      null,
      56,
      56,
      64,
    ]);
    model.dispose();
  });

  it('runs at 224 px (narrow copy) and puts the paper block after the first residual group', () => {
    expect(IMAGENETTE_RESNET18_PAPER_BLOCK).toEqual({
      after: 'stage1_block2_out',
      init: 'he-normal-fan-out',
    });
    const model = imagenetteResNet18({ inputShape: [224, 224, 3], width: 4 });
    const y = model.predict(tf.zeros([1, 224, 224, 3])) as tf.Tensor;
    expect(y.shape).toEqual([1, 10]);
    expect(model.getLayer('stage4_block2_out').outputShape).toEqual([null, 7, 7, 32]);
    y.dispose();
    model.dispose();
    expect(() => imagenetteResNet18({ inputShape: [288, 288, 3] })).toThrow(/64–256 px/);
    expect(() => imagenetteResNet18({ depth: 34 } as object)).toThrow(
      /model "imagenette-resnet18" has no option "depth"/,
    );
  });
});

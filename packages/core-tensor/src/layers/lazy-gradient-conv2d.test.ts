import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend';
import { SeededRandom } from '../random/seeded-random';
import { cifarResNet } from '../zoo/cifar-resnet';
import { type Conv2DArgs, LazyGradientConv2D } from './lazy-gradient-conv2d';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

/** The kernels one call of `f` runs, by name. */
async function kernelsOf(f: () => tf.TensorContainer | null): Promise<string[]> {
  const info = await tf.profile(() => {
    const out = f();
    if (out) tf.dispose(out);
  });
  return info.kernels.map((k) => k.name);
}

/** A conv layer of each class with the same weights, built on `[2, 9, 9, 3]` inputs. */
function pair(args: Conv2DArgs) {
  const plain = tfl.layers.conv2d(args);
  const lazy = new LazyGradientConv2D(args);
  plain.build([2, 9, 9, 3]);
  lazy.build([2, 9, 9, 3]);
  lazy.setWeights(plain.getWeights());
  return { plain, lazy };
}

describe('LazyGradientConv2D', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`equals tfjs's Conv2D bit for bit on ${backend}: forward, filter and input gradients`, async () => {
      await tf.setBackend(backend);
      const rng = new SeededRandom(3);
      for (const args of [
        { filters: 8, kernelSize: 3, padding: 'same', useBias: false },
        { filters: 16, kernelSize: 3, strides: 2, padding: 'same', useBias: false },
        { filters: 8, kernelSize: [1, 2], padding: 'valid', useBias: false, dilationRate: 1 },
      ] as Conv2DArgs[]) {
        const { plain, lazy } = pair({ ...args, kernelInitializer: 'glorotNormal' });
        const x = rng.normalTensor([2, 9, 9, 3]);
        const label = `${backend} ${JSON.stringify(args)}`;
        const lossOf = (layer: tfl.layers.Layer) => (input: tf.Tensor) =>
          tf.sum(tf.square(layer.apply(input) as tf.Tensor)) as tf.Scalar;
        const outputs = [plain, lazy].map((layer) => layer.apply(x) as tf.Tensor);
        expect(Array.from(outputs[1].dataSync()), label).toEqual(Array.from(outputs[0].dataSync()));
        const [kPlain, kLazy] = [plain, lazy].map((layer) => {
          const kernel = layer.trainableWeights[0].read() as tf.Variable;
          return tf.variableGrads(() => lossOf(layer)(x), [kernel as tf.Variable]);
        });
        expect(Array.from(Object.values(kLazy.grads)[0].dataSync()), label).toEqual(
          Array.from(Object.values(kPlain.grads)[0].dataSync()),
        );
        const [dPlain, dLazy] = [plain, lazy].map((layer) => tf.grad(lossOf(layer))(x));
        expect(Array.from(dLazy.dataSync()), label).toEqual(Array.from(dPlain.dataSync()));
        tf.dispose([x, ...outputs, kPlain.value, kLazy.value, dPlain, dLazy]);
        tf.dispose([...Object.values(kPlain.grads), ...Object.values(kLazy.grads)]);
        for (const w of [...plain.weights, ...lazy.weights]) w.dispose();
      }
    });
  }

  it('computes the input gradient only when it is asked for; with a bias it is tfjs’s fused call', async () => {
    await tf.setBackend('cpu');
    const rng = new SeededRandom(4);
    const x = rng.normalTensor([2, 9, 9, 3]);
    for (const useBias of [false, true]) {
      const { plain, lazy } = pair({ filters: 8, kernelSize: 3, padding: 'same', useBias });
      const optimizer = tf.train.sgd(0.1);
      const step = (layer: tfl.layers.Layer) => () =>
        optimizer.minimize(() => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar, true);
      const inputGradients = (names: string[]) =>
        names.filter((n) => n === 'Conv2DBackpropInput').length;
      // tfjs's fused conv2d computes the input gradient with the filter gradient, used or not.
      expect(inputGradients(await kernelsOf(step(plain)))).toBe(1);
      expect(inputGradients(await kernelsOf(step(lazy)))).toBe(useBias ? 1 : 0);
      const saliency = () =>
        tf.grad((input: tf.Tensor) => tf.sum(lazy.apply(input) as tf.Tensor))(x);
      expect(inputGradients(await kernelsOf(saliency))).toBe(1);
      optimizer.dispose();
      for (const w of [...plain.weights, ...lazy.weights]) w.dispose();
    }
    x.dispose();
  });

  it('a zoo model saves as plain tfjs (class_name Conv2D) and loads as this class; the stem skips its input gradient', async () => {
    await tf.setBackend('wasm');
    const model = cifarResNet({ depth: 8, width: 4, seed: 2 });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D');
    expect(convs.length).toBeGreaterThan(0);
    expect(convs.every((l) => l instanceof LazyGradientConv2D)).toBe(true);
    const topology = JSON.stringify(artifacts?.modelTopology);
    expect(topology.match(/"class_name":"Conv2D"/g)?.length).toBe(convs.length);
    expect(Object.keys(convs[0].getConfig()).sort()).toEqual(
      Object.keys(tfl.layers.conv2d({ filters: 1, kernelSize: 1 }).getConfig()).sort(),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const loadedConvs = loaded.layers.filter((l) => l.getClassName() === 'Conv2D');
    expect(loadedConvs.every((l) => l instanceof LazyGradientConv2D)).toBe(true);
    const x = new SeededRandom(15).uniformTensor([2, 32, 32, 3]);
    const a = model.apply(x, { training: true }) as tf.Tensor;
    const b = loaded.apply(x, { training: true }) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    const labels = tf.oneHot(tf.tensor1d([1, 7], 'int32'), 10);
    const optimizer = tf.train.sgd(0.01);
    const kernels = await kernelsOf(() =>
      optimizer.minimize(
        () =>
          tf.losses.softmaxCrossEntropy(
            labels,
            model.apply(x, { training: true }) as tf.Tensor,
          ) as tf.Scalar,
        true,
      ),
    );
    // One input gradient per conv but the stem's.
    expect(kernels.filter((n) => n === 'Conv2DBackpropInput').length).toBe(convs.length - 1);
    tf.dispose([x, a, b, labels]);
    optimizer.dispose();
    model.dispose();
    loaded.dispose();
  });
});

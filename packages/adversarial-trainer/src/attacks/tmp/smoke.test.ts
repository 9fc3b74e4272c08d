import * as tf from '@tensorflow/tfjs-core';
import { initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { it } from 'vitest';
import { tinyMlp } from '../../../test/helpers/tiny-models';
import { attackRegistry } from '../attack';
import '../registry';

it('smoke', async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
  for (const scale of [1, 1e4]) {
  const model = tinyMlp([6, 6, 1]);
  const last = model.layers[model.layers.length - 1];
  last.setWeights(last.getWeights().map((w) => tf.mul(w, scale)));
  const rng = new SeededRandom(1);
  const x = rng.uniformTensor([32, 6, 6, 1], 0, 1) as tf.Tensor4D;
  const y = tf.argMax(model.predict(x) as tf.Tensor, 1) as tf.Tensor1D;
  for (const name of ['pgd-linf', 'apgd-ce', 'apgd-dlr', 'apgd-t', 'square', 'autoattack']) {
    for (const eps of [0.05]) {
      const before = tf.memory().numTensors;
      const t0 = Date.now();
      const xa = attackRegistry.get(name).run(model, x, y, { eps, steps: 20, rng: new SeededRandom(2), ...(name === 'autoattack' ? { queries: 200 } : {}) });
      const acc = tf.mean(tf.cast(tf.equal(tf.argMax(model.predict(xa) as tf.Tensor, 1), y), 'float32')).dataSync()[0];
      const linf = tf.max(tf.abs(tf.sub(xa, x))).dataSync()[0];
      xa.dispose();
      console.log(scale, name, eps, 'acc', acc, 'linf', linf, 'ms', Date.now() - t0, 'leak', tf.memory().numTensors - before);
    }
  }
  }
});

import * as tf from '@tensorflow/tfjs-core';
import { initBackend, SeededRandom } from '@trustgrad/core-tensor';
import { it } from 'vitest';
import { tinyCnn, tinyMlp } from '../../../test/helpers/tiny-models';
import { attackRegistry } from '../attack';
import '../registry';

it('grid', async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
  for (const kind of ['cnn', 'mlp']) for (const seed of [0, 1, 2, 3]) {
    const model = kind === 'cnn' ? tinyCnn([6, 6, 1], 4, seed) : tinyMlp([6, 6, 1], 16, 4, seed);
    const x = new SeededRandom(seed + 10).uniformTensor([48, 6, 6, 1], 0, 1) as tf.Tensor4D;
    const y = tf.argMax(model.predict(x) as tf.Tensor, 1) as tf.Tensor1D;
    for (const eps of [0.05]) for (const steps of [10, 20]) for (const rs of [0, 1, -1]) {
      const r = ['pgd-linf', 'apgd-ce'].map((name) => {
        const xa = attackRegistry.get(name).run(model, x, y, { eps, steps, randomStart: rs >= 0, rng: new SeededRandom(rs + 100 * seed) });
        const n = tf.sum(tf.cast(tf.equal(tf.argMax(model.predict(xa) as tf.Tensor, 1), y), 'int32')).dataSync()[0];
        xa.dispose();
        return n;
      });
      console.log(`${kind} seed ${seed} eps ${eps} steps ${steps} rs ${rs} pgd ${r[0]} apgd ${r[1]}${r[1] > r[0] ? ' WORSE' : ''}`);
    }
  }
});

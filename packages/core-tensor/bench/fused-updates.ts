/**
 * The per-variable updates of a CIFAR ResNet-20 step alone (wasm), fused
 * against tfjs's compositions, alternating in one process: one
 * `applyGradients` of all 65 variables by `tf.train.momentum` and by
 * `FusedMomentumOptimizer` on fixed gradients, and the moving mean and
 * variance of its 21 BatchNorm layers by the 3-op composition and by
 * `movingAverageUpdate`. Prints the median and min ms of each.
 *
 *   npx tsx bench/fused-updates.ts [--rounds N]
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  cifarResNet,
  composedMovingAverageUpdate,
  FusedMomentumOptimizer,
  initBackend,
  movingAverageUpdate,
} from '../src/index';

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

async function main() {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--rounds');
  const rounds = at >= 0 ? Number(argv[at + 1]) : 30;
  await initBackend({ backend: 'wasm', log: () => {} });
  const model = cifarResNet({ seed: 0 });
  const x = tf.randomUniform([8, 32, 32, 3], 0, 1, 'float32', 1);
  const oneHot = tf.oneHot(tf.randomUniform([8], 0, 10, 'int32', 2) as tf.Tensor1D, 10);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(
    () =>
      tf.losses.softmaxCrossEntropy(
        oneHot,
        model.apply(x, { training: true }) as tf.Tensor,
      ) as tf.Scalar,
    vars,
  );
  // A tiny rate: the weights barely move over the rounds.
  const optimizers: Record<string, tf.Optimizer> = {
    'tf.train.momentum': tf.train.momentum(1e-6, 0.9),
    FusedMomentumOptimizer: new FusedMomentumOptimizer(1e-6, 0.9),
  };
  for (const o of Object.values(optimizers)) o.applyGradients(grads); // makes the accumulations
  const stats = model.nonTrainableWeights
    .filter((w) => w.name.includes('moving_mean'))
    .map((w) =>
      [0, 1, 2, 3].map((k) =>
        k % 2 ? tf.randomNormal(w.shape) : tf.variable(tf.randomNormal(w.shape)),
      ),
    );
  const movingAverages = (fused: boolean) => {
    for (const [m, bm, v, bv] of stats) {
      tf.tidy(() => {
        const update = fused ? movingAverageUpdate : composedMovingAverageUpdate;
        const [newMean, newVariance] = update(
          [
            [m, bm],
            [v, bv],
          ],
          0.99,
        );
        (m as tf.Variable).assign(newMean);
        (v as tf.Variable).assign(newVariance);
      });
    }
  };
  const times: Record<string, number[]> = {};
  const time = (name: string, f: () => void) => {
    const start = performance.now();
    f();
    const elapsed = performance.now() - start;
    times[name] = [...(times[name] ?? []), elapsed];
  };
  for (let r = 0; r < rounds; r++) {
    const names = Object.keys(optimizers);
    for (const name of r % 2 ? names : names.reverse()) {
      time(`${name}.applyGradients`, () => optimizers[name].applyGradients(grads));
    }
    for (const fused of r % 2 ? [false, true] : [true, false]) {
      const name = fused ? 'movingAverageUpdate' : '3-op moving averages';
      time(`${name} (${stats.length} layers)`, () => movingAverages(fused));
    }
  }
  console.log(`${vars.length} variables, ${stats.length} BatchNorm layers, ${rounds} rounds`);
  for (const [name, t] of Object.entries(times)) {
    console.log(
      `${name.padEnd(42)} median ${median(t).toFixed(2)} ms, min ${Math.min(...t).toFixed(2)}`,
    );
  }
}

void main();

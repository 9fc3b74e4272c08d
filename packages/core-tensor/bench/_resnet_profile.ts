import * as tf from '@tensorflow/tfjs-core';
import { cifarResNet, initBackend } from '../src/index';
await initBackend({ backend: 'wasm', log: () => {} });
const model = cifarResNet({ seed: 0 });
const optimizer = tf.train.momentum(0.01, 0.9);
const x = tf.randomUniform([128, 32, 32, 3], 0, 1, 'float32', 1);
const oneHot = tf.oneHot(tf.randomUniform([128], 0, 10, 'int32', 2) as tf.Tensor1D, 10);
const step = () => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(oneHot, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true) as tf.Scalar;
step().dispose();
const info = await tf.profile(() => { const s = step(); s.dataSync(); s.dispose(); });
const per = new Map<string, { ms: number; calls: number }>();
let total = 0;
for (const k of info.kernels) { const ms = (await k.kernelTimeMs) as number; total += ms; const key = `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join('')}`; const e = per.get(key) ?? { ms: 0, calls: 0 }; e.ms += ms; e.calls++; per.set(key, e); }
const byName = new Map<string, number>();
for (const k of info.kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + ((await k.kernelTimeMs) as number));
console.log(`total ${total.toFixed(0)} ms`);
for (const [n, ms] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`${n} ${ms.toFixed(0)} ms ${(100 * ms / total).toFixed(0)}%`);
for (const [k, e] of [...per].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) console.log(`${k} x${e.calls} ${e.ms.toFixed(0)} ms`);

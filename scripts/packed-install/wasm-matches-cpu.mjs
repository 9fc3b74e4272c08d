// Run in a consumer project: trustgrad's wasm training kernels, composed from the installed
// tfjs-backend-wasm's own kernels, must give the cpu backend's gradients. This is what says
// whether a tfjs version inside the peer range really works (a kernel of another release may
// take other attributes or lay out its heap differently). fmnistCnn (Conv2D, MaxPool, Dense)
// and cifarResNet (strided convs, BatchNorm in training mode), with respect to every weight
// and the input, relative error < 1e-4 of the largest value.
import * as tf from '@tensorflow/tfjs-core';
import { cifarResNet, fmnistCnn, initBackend, SeededRandom } from '@trustgrad/core-tensor';

await initBackend({ backend: 'wasm', log: () => {} });

/** Gradients of `Σ logits · w` (training mode) with respect to the input and every weight, on `backend`. */
async function gradients(backend, model, x, w) {
  await tf.setBackend(backend);
  const loss = (input) => tf.sum(tf.mul(model.apply(input, { training: true }), w));
  const gx = tf.grad(loss)(x);
  const { value, grads } = tf.variableGrads(() => loss(x));
  const names = Object.keys(grads).sort();
  const out = [gx, ...names.map((n) => grads[n])].map((g) => g.dataSync().slice());
  tf.dispose([gx, value, ...Object.values(grads)]);
  return out;
}

let worst = 0;
for (const [name, model, shape] of [
  ['fmnistCnn', fmnistCnn({ seed: 0 }), [4, 28, 28, 1]],
  ['cifarResNet', cifarResNet({ depth: 8, width: 4, seed: 0 }), [2, 32, 32, 3]],
]) {
  const rng = new SeededRandom(1);
  const x = rng.uniformTensor(shape);
  const w = rng.uniformTensor([shape[0], 10]);
  const onWasm = await gradients('wasm', model, x, w);
  const onCpu = await gradients('cpu', model, x, w);
  onWasm.forEach((a, k) => {
    const b = onCpu[k];
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < a.length; i++) {
      scale = Math.max(scale, Math.abs(b[i]));
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
    }
    const rel = diff / (scale || 1);
    worst = Math.max(worst, rel);
    if (!(rel < 1e-4))
      throw new Error(`${name}: gradient ${k} differs between wasm and cpu (relative ${rel})`);
  });
}
console.log(
  `wasm kernels match cpu on tfjs ${tf.version_core} (worst relative error ${worst.toExponential(1)})`,
);

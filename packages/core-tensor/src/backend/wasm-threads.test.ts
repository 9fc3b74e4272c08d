import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { fmnistCnn } from '../zoo/fmnist-cnn';
import { initBackend } from './init-backend';

// vitest runs every test file in its own process, so this one can start wasm threaded.
process.env.TRUSTGRAD_WASM_THREADS = '2';

describe('threaded wasm backend in Node', () => {
  it('starts with 2 XNNPACK threads and trains the FMNIST CNN to the same gradients as cpu', async () => {
    const lines: string[] = [];
    const choice = await initBackend({ backend: 'wasm', log: (l) => lines.push(l) });
    expect(choice.wasmThreads).toEqual({ count: 2 });
    expect(getThreadsCount()).toBe(2);
    expect(lines[0]).toContain('wasm, 2 threads');

    const model = fmnistCnn({ seed: 4, filters: [8, 16], hiddenUnits: 32 });
    const x = tf.randomNormal([4, 28, 28, 1], 0, 1, 'float32', 5);
    const loss = () => tf.sum(tf.square(model.apply(x) as tf.Tensor)) as tf.Scalar;
    const gradsOn = async (backend: string) => {
      await tf.setBackend(backend);
      const { value, grads } = tf.variableGrads(loss);
      const out = await Promise.all(Object.values(grads).map((g) => g.data()));
      tf.dispose([value, ...Object.values(grads)]);
      return out as Float32Array[];
    };
    const wasm = await gradsOn('wasm');
    const cpu = await gradsOn('cpu');
    for (let k = 0; k < cpu.length; k++) {
      let scale = 0;
      let diff = 0;
      cpu[k].forEach((v, i) => {
        scale = Math.max(scale, Math.abs(v));
        diff = Math.max(diff, Math.abs(v - wasm[k][i]));
      });
      expect(diff / scale).toBeLessThan(1e-4);
    }
    tf.dispose(x);
    model.dispose();
  });

  it('rejects a TRUSTGRAD_WASM_THREADS that is not a thread count', async () => {
    const { wasmThreadsWanted } = await import('./wasm-threads');
    const saved = process.env.TRUSTGRAD_WASM_THREADS;
    process.env.TRUSTGRAD_WASM_THREADS = 'many';
    expect(() => wasmThreadsWanted()).toThrow(
      /TRUSTGRAD_WASM_THREADS="many" is not a thread count; use an integer from 1 to 8/,
    );
    process.env.TRUSTGRAD_WASM_THREADS = saved;
  });
});

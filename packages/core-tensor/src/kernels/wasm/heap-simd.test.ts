import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { FUSED_FUNCTIONS, fuseMultiplyAdds } from '../../../scripts/assemble-heap-simd.mjs';
import { initBackend } from '../../backend/init-backend';
import { BackendUnavailableError, MissingDependencyError } from '../../errors/trustgrad-error';
import { axisOperatorFromMatrix } from '../../ops/axis-operator';
import { bandedSeparableFilter } from '../../ops/banded-separable-filter';
import { SeededRandom } from '../../random/seeded-random';
import {
  heapAddress,
  heapSimd,
  heapSimdCalls,
  heapSimdFallbackReason,
  linkHeapSimd,
  zeroTensor,
} from './heap-simd';
import { originalKernel } from './original-kernels';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

describe('heap-simd fused build', () => {
  it('fuses the planar kernels’ multiply-adds and no other kernel’s', () => {
    const source = readFileSync(new URL('./heap-simd.wat', import.meta.url), 'utf8');
    const fused = fuseMultiplyAdds(source);
    const pieces = (text: string) => text.split('\n  (func ');
    const [was, now] = [pieces(source), pieces(fused)];
    expect(now.length).toBe(was.length);
    now.forEach((body, i) => {
      const name = /^\S* ?\(export "(\w+)"\)/.exec(body)?.[1] ?? `piece ${i}`;
      const madds = body.split('f32x4.relaxed_madd').length - 1;
      if (FUSED_FUNCTIONS.includes(name)) {
        expect(madds, name).toBeGreaterThan(0);
        // Every `acc + x·y` became one fused multiply-add, nothing else changed.
        expect(body.split('f32x4.mul').length - 1, name).toBe(
          was[i].split('f32x4.mul').length - 1 - madds,
        );
      } else {
        expect(body, name).toBe(was[i]);
      }
    });
  });
});

// The tests share the process-wide fallback state: the broken-module test runs last.
describe('heap-simd', () => {
  it('links to the wasm backend’s heap', () => {
    expect(heapSimd(tf.backend() as BackendWasm)).not.toBeNull();
    expect(heapSimdFallbackReason()).toBeNull();
  });

  it('runs the SIMD fast paths of MaxPoolGrad, Conv2DBackpropFilter and the banded filter', () => {
    const rng = new SeededRandom(2);
    const before = heapSimdCalls();
    tf.tidy(() => {
      // 2×2 / stride 2 pooling on 4 channels: the SIMD max-pool gradient.
      const x = rng.normalTensor([2, 8, 8, 4]) as tf.Tensor4D;
      tf.grad((input: tf.Tensor) => tf.sum(tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid')))(
        x,
      ).dataSync();
      // A 5×5 conv with 8 filters at stride 2: the patch path with SIMD accumulation;
      // at stride 1 the planar filter gradient, 5 taps at a time (and 3 for a 3×3 filter,
      // two output channels per pass).
      const w = rng.normalTensor([5, 5, 1, 8]) as tf.Tensor4D;
      const image = rng.normalTensor([2, 12, 12, 1]) as tf.Tensor4D;
      for (const stride of [2, 1] as const) {
        tf.grad((filter: tf.Tensor) =>
          tf.sum(tf.conv2d(image, filter as tf.Tensor4D, stride, 'valid')),
        )(w).dataSync();
      }
      tf.grad((filter: tf.Tensor) => tf.sum(tf.conv2d(image, filter as tf.Tensor4D, 1, 'same')))(
        rng.normalTensor([3, 3, 1, 4]),
      ).dataSync();
      const identity = axisOperatorFromMatrix([
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ]);
      bandedSeparableFilter(
        rng.normalTensor([1, 3, 3, 4]) as tf.Tensor4D,
        identity,
        identity,
      ).dataSync();
    });
    const after = heapSimdCalls();
    expect(after.maxPoolGrad).toBeGreaterThan(before.maxPoolGrad);
    expect(after.accumulateOuter).toBeGreaterThan(before.accumulateOuter);
    expect(after.planarFilterGradient5).toBeGreaterThan(before.planarFilterGradient5);
    expect(after.planarFilterGradient3x2).toBeGreaterThan(before.planarFilterGradient3x2);
    expect(after.bandedSeparable).toBeGreaterThan(before.bandedSeparable);
    expect(heapSimdFallbackReason()).toBeNull();
  });

  it('zeroes whole tensors in place with one memory.fill, leaving their neighbours alone', () => {
    const backend = tf.backend() as BackendWasm;
    for (const size of [1, 3, 4, 1000, 262_147]) {
      const [before, target, after] = [7, size, 7].map((n) => tf.fill([n], Number.NaN));
      const info = { dataId: target.dataId, shape: target.shape, dtype: target.dtype };
      const calls = heapSimdCalls().zeroFill;
      zeroTensor(backend, info);
      expect(heapSimdCalls().zeroFill).toBe(calls + 1);
      expect(Array.from(target.dataSync()).every((v) => Object.is(v, 0))).toBe(true);
      expect(Array.from(before.dataSync()).every(Number.isNaN)).toBe(true);
      expect(Array.from(after.dataSync()).every(Number.isNaN)).toBe(true);
      tf.dispose([before, target, after]);
    }
  });

  it('throws typed errors: a disposed tensor’s heap address, a kernel tfjs-backend-wasm lacks', () => {
    const t = tf.zeros([2]);
    t.dispose();
    expect(() => heapAddress(tf.backend() as BackendWasm, t.dataId)).toThrow(
      BackendUnavailableError,
    );
    expect(() => originalKernel('NoSuchKernel' as never)).toThrow(MissingDependencyError);
    expect(() => originalKernel('NoSuchKernel' as never)).toThrow(
      /install @tensorflow\/tfjs-backend-wasm/,
    );
  });

  it('moves data held on another backend to the heap first (a bias variable made on cpu, used on wasm)', async () => {
    await tf.setBackend('cpu');
    const bias = tf.variable(tf.tensor1d([1, 2, 3]));
    const x = tf.ones([2, 4]);
    const w = tf.ones([4, 3]);
    await tf.setBackend('wasm');
    const calls = heapSimdCalls().matMul;
    const y = tf.fused.matMul({ a: x, b: w, bias });
    expect(heapSimdCalls().matMul).toBe(calls + 1);
    expect(Array.from(y.dataSync())).toEqual([5, 6, 7, 5, 6, 7]);
    tf.dispose([bias, x, w, y]);
  });

  it('falls back loudly: one warning and a reason when the module does not instantiate', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const memory = new WebAssembly.Memory({ initial: 1 });
    // A module header with a truncated section: not a valid module.
    expect(linkHeapSimd(memory, 'AGFzbQEAAAABBQ==')).toBeNull();
    expect(linkHeapSimd(memory, 'AGFzbQEAAAABBQ==')).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/SIMD training kernels unavailable/);
    expect(heapSimdFallbackReason()).toMatch(/heap-simd\.wat did not instantiate/);
    warn.mockRestore();
  });
});

import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { SeededRandom } from '../../../random/seeded-random';

/** A kernel input given as plain data, so the same values can be made on any backend. */
export interface HostTensor {
  shape: number[];
  values: Float32Array;
}

/** Random normal data of `shape`. */
export function randomHost(rng: SeededRandom, shape: number[]): HostTensor {
  return { shape, values: rng.normalArray(shape.reduce((a, b) => a * b, 1)) };
}

/**
 * Runs kernel `name` on `backend` with `inputs` and `attrs`, returns its first
 * output as host data and checks the backend kept no intermediate buffer.
 */
export async function runKernelOn(
  backend: string,
  name: string,
  inputs: Record<string, HostTensor>,
  attrs: NamedAttrMap,
): Promise<HostTensor> {
  await tf.setBackend(backend);
  const dataIdsBefore = tf.backend().numDataIds();
  const made: Record<string, tf.Tensor> = {};
  for (const [key, host] of Object.entries(inputs))
    made[key] = tf.tensor(host.values, host.shape, 'float32');
  const out = tf.engine().runKernel(name, made, attrs) as tf.Tensor;
  const result = { shape: out.shape, values: (await out.data()) as Float32Array };
  out.dispose();
  for (const t of Object.values(made)) t.dispose();
  const leaked = tf.backend().numDataIds() - dataIdsBefore;
  if (leaked !== 0) throw new Error(`${name} on ${backend} left ${leaked} data buffer(s) behind`);
  return result;
}

/** Throws unless `actual` has `expected`'s shape and every entry is the same as `Object.is` sees it (NaN = NaN, +0 ≠ −0). */
export function expectIdenticalHost(actual: HostTensor, expected: HostTensor, label: string): void {
  if (actual.shape.join(',') !== expected.shape.join(',')) {
    throw new Error(
      `${label}: shape [${actual.shape}] differs from the reference [${expected.shape}]`,
    );
  }
  for (let i = 0; i < expected.values.length; i++) {
    if (!Object.is(actual.values[i], expected.values[i])) {
      throw new Error(
        `${label}: entry ${i} is ${actual.values[i]}, cpu gives ${expected.values[i]}`,
      );
    }
  }
}

/** Largest |a − b| divided by the largest |b| (1 when b is all zeros). */
export function relativeError(actual: HostTensor, expected: HostTensor): number {
  if (actual.shape.join(',') !== expected.shape.join(',')) {
    throw new Error(`shape [${actual.shape}] differs from the reference [${expected.shape}]`);
  }
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < expected.values.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual.values[i] - expected.values[i]));
    scale = Math.max(scale, Math.abs(expected.values[i]));
  }
  return maxDiff / (scale || 1);
}

/** A random padding in every form tfjs kernels accept: 'same', 'valid', a number, explicit NHWC pairs. */
export function randomPad(
  rng: SeededRandom,
  maxExplicit: number,
):
  | 'same'
  | 'valid'
  | number
  | [[number, number], [number, number], [number, number], [number, number]] {
  const kind = rng.int(4);
  if (kind === 0) return 'same';
  if (kind === 1) return 'valid';
  if (kind === 2) return rng.int(maxExplicit + 1);
  return [
    [0, 0],
    [rng.int(maxExplicit + 1), rng.int(maxExplicit + 1)],
    [rng.int(maxExplicit + 1), rng.int(maxExplicit + 1)],
    [0, 0],
  ];
}

/**
 * `geometry()` (tfjs's `computeConv2DInfo` or `computePool2DInfo` of a random case), or
 * `undefined` where tfjs rejects the geometry or its output is empty: a case to draw again.
 */
export function usableGeometry(
  geometry: () => backend_util.Conv2DInfo,
): backend_util.Conv2DInfo | undefined {
  let info: backend_util.Conv2DInfo;
  try {
    info = geometry();
  } catch {
    return undefined;
  }
  return info.outHeight < 1 || info.outWidth < 1 ? undefined : info;
}

/** One random conv2d geometry of {@link conv2dCases}, with the forward pass's `Conv2DInfo`. */
export interface Conv2dCase {
  inputShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  strides: [number, number];
  pad: ReturnType<typeof randomPad>;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  info: backend_util.Conv2DInfo;
}

/**
 * `count` random undilated conv2d geometries (batch 1–3, 3–10 px, 1–5 in and 1–6 out
 * channels, 1–4 px filters, strides 1–3, every padding form), the ones tfjs rejects
 * or that have an empty output skipped: the cases the conv gradient kernels are
 * checked against the cpu kernel on.
 */
export function* conv2dCases(rng: SeededRandom, count: number): Generator<Conv2dCase> {
  let made = 0;
  while (made < count) {
    const batch = 1 + rng.int(3);
    const [inH, inW] = [3 + rng.int(8), 3 + rng.int(8)];
    const [inC, outC] = [1 + rng.int(5), 1 + rng.int(6)];
    const filterShape: [number, number, number, number] = [
      1 + rng.int(4),
      1 + rng.int(4),
      inC,
      outC,
    ];
    const strides: [number, number] = [1 + rng.int(3), 1 + rng.int(3)];
    const pad = randomPad(rng, 3);
    const dimRoundingMode =
      typeof pad === 'number' ? (['floor', 'round', 'ceil'] as const)[rng.int(3)] : undefined;
    const inputShape: [number, number, number, number] = [batch, inH, inW, inC];
    const info = usableGeometry(() =>
      backend_util.computeConv2DInfo(inputShape, filterShape, strides, 1, pad, dimRoundingMode),
    );
    if (!info) continue;
    made++;
    yield { inputShape, filterShape, strides, pad, dimRoundingMode, info };
  }
}

/**
 * Expects `actual` to have `expected`'s shape, NaN and ±∞ at exactly its positions,
 * and every finite entry within `tolerance` of the largest finite `|expected|`.
 */
export function expectCloseToReference(
  actual: HostTensor,
  expected: HostTensor,
  tolerance: number,
  label: string,
): void {
  expect(actual.shape, label).toEqual(expected.shape);
  let scale = 0;
  for (const v of expected.values) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < expected.values.length; i++) {
    const [a, e] = [actual.values[i], expected.values[i]];
    if (!Number.isFinite(e)) {
      expect(
        Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)),
        `${label} [${i}]: ${a} vs ${e}`,
      ).toBe(true);
    } else if (Math.abs(a - e) > tolerance * (scale || 1)) {
      throw new Error(`${label} [${i}]: ${a}, expected ${e}`);
    }
  }
}

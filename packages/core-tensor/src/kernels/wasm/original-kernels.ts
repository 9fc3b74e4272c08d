import type {
  KernelConfig,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { MissingDependencyError } from '../../errors/trustgrad-error';

/**
 * The wasm kernels trustgrad's training kernels are built from. They are
 * captured the first time this module loads, before any of them is replaced,
 * and kept on `globalThis`: tfjs's kernel registry is a process-wide singleton,
 * so a second copy of this module (a bundler duplicate, a test runner that
 * re-evaluates sources) must still find tfjs's own kernels, not trustgrad's
 * replacements, or a replacement would call itself.
 */
const ORIGINAL_NAMES = [
  'Add',
  'BatchMatMul',
  'Cast',
  'Conv2D',
  'Conv2DBackpropInput',
  'FusedConv2D',
  'DepthwiseConv2dNative',
  'Identity',
  'MaxPool',
  'MaxPoolGrad',
  'Mean',
  'Multiply',
  'PadV2',
  'Relu',
  'Reshape',
  'Reverse',
  'Sign',
  'Slice',
  'Sub',
  'Sum',
  'Tile',
  'Transpose',
  '_FusedMatMul',
] as const;

/** A kernel of tfjs-backend-wasm that trustgrad composes. */
export type OriginalKernelName = (typeof ORIGINAL_NAMES)[number];

const STORE_KEY = Symbol.for('trustgrad.core-tensor.originalWasmKernels');

function originalStore(): Map<string, KernelConfig> {
  const holder = globalThis as unknown as Record<symbol, Map<string, KernelConfig> | undefined>;
  let store = holder[STORE_KEY];
  if (!store) {
    store = new Map();
    holder[STORE_KEY] = store;
  }
  for (const name of ORIGINAL_NAMES) {
    if (store.has(name)) continue;
    const config = tf.getKernel(name, 'wasm');
    if (config) store.set(name, config);
  }
  return store;
}

const originals = originalStore();

/** tfjs-backend-wasm's own config for `name`, as it was before trustgrad registered anything. */
export function originalKernel(name: OriginalKernelName): KernelConfig {
  const config = originals.get(name);
  if (!config) {
    throw new MissingDependencyError(
      `tfjs-backend-wasm has no "${name}" kernel; trustgrad's wasm training kernels need @tensorflow/tfjs-backend-wasm ^4.21.0 (install @tensorflow/tfjs-backend-wasm@4.22.0, the version they are tested with)`,
    );
  }
  return config;
}

/** Runs tfjs-backend-wasm's own kernel `name` directly on the backend (no engine bookkeeping). */
export function runOriginal(
  name: OriginalKernelName,
  backend: BackendWasm,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const result = originalKernel(name).kernelFunc({ inputs, backend, attrs });
  return (Array.isArray(result) ? result[0] : result) as TensorInfo;
}

/** Frees intermediates a kernel made (a reshaped view only drops its reference). */
export function disposeIntermediate(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** `x` viewed with another shape; shares the data (dispose the view with {@link disposeIntermediate}). */
export function reshapeInfo(backend: BackendWasm, x: TensorInfo, shape: number[]): TensorInfo {
  return runOriginal('Reshape', backend, { x }, { shape });
}

/** `x` with its axes permuted. */
export function transposeInfo(backend: BackendWasm, x: TensorInfo, perm: number[]): TensorInfo {
  return runOriginal('Transpose', backend, { x }, { perm });
}

/** `x` with its last two axes swapped (`[..., m, n]` → `[..., n, m]`). */
export function transposeLastTwo(backend: BackendWasm, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return transposeInfo(backend, x, perm);
}

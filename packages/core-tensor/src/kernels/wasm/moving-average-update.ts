import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import {
  MOVING_AVERAGE_UPDATE,
  type MovingAverageUpdateAttrs,
} from '../../ops/moving-average-update';
import { movingAverageOnArrays } from '../cpu/moving-average-update';

/**
 * {@link MOVING_AVERAGE_UPDATE} for wasm: the cpu kernel's JavaScript loop on
 * views of the heap, all pairs in one call. The statistics are tiny (`[C]`,
 * C ≤ 512), where the loop costs well under a microsecond and the kernel
 * calls it replaces (3 per statistic) ~15–30 µs each.
 */
function movingAverageWasm(args: {
  inputs: TensorInfo[];
  backend: BackendWasm;
  attrs: NamedAttrMap;
}): TensorInfo[] {
  const { inputs, backend } = args;
  const { oneMinusMomentum } = args.attrs as unknown as MovingAverageUpdateAttrs;
  const outputs: TensorInfo[] = [];
  for (let k = 0; k + 1 < inputs.length; k += 2) {
    outputs.push(backend.makeOutput(inputs[k].shape, 'float32'));
  }
  // Views are taken after every makeOutput: growing the wasm memory detaches older ones.
  const view = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  outputs.forEach((out, j) =>
    movingAverageOnArrays(
      view(inputs[2 * j]),
      view(inputs[2 * j + 1]),
      view(out),
      oneMinusMomentum,
    ),
  );
  return outputs;
}

/**
 * Registered for `wasm` by {@link registerTrainingKernels}.
 *
 * @example
 * tf.registerKernel(movingAverageUpdateWasmConfig); // what registerTrainingKernels() does
 */
export const movingAverageUpdateWasmConfig: KernelConfig = {
  kernelName: MOVING_AVERAGE_UPDATE,
  backendName: 'wasm',
  kernelFunc: movingAverageWasm as unknown as KernelFunc,
};

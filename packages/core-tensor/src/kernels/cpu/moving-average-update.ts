import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import {
  MOVING_AVERAGE_UPDATE,
  type MovingAverageUpdateAttrs,
} from '../../ops/moving-average-update';

const f32 = Math.fround;

/**
 * `out = average − (average − value)·d` on plain arrays (`d = 1 − momentum`),
 * rounded to float32 after each op as cpu's `Sub`, `Mul`, `Sub` store them:
 * tfjs-layers' moving-average composition bit for bit.
 *
 * @example
 * const out = new Float32Array(2);
 * movingAverageOnArrays(Float32Array.of(0, 1), Float32Array.of(1, 1), out, 1 - 0.9); // out ≈ [0.1, 1]
 */
export function movingAverageOnArrays(
  average: Float32Array,
  value: Float32Array,
  out: Float32Array,
  oneMinusMomentum: number,
): void {
  const d = f32(oneMinusMomentum);
  for (let i = 0; i < average.length; i++) {
    const a = average[i];
    out[i] = f32(a - f32(f32(a - value[i]) * d));
  }
}

function movingAverageCpu(args: {
  inputs: TensorInfo[];
  backend: MathBackendCPU;
  attrs: NamedAttrMap;
}): TensorInfo[] {
  const { inputs, backend } = args;
  const { oneMinusMomentum } = args.attrs as unknown as MovingAverageUpdateAttrs;
  const values = (t: TensorInfo) => backend.data.get(t.dataId).values as Float32Array;
  const outputs: TensorInfo[] = [];
  for (let k = 0; k + 1 < inputs.length; k += 2) {
    const average = values(inputs[k]);
    const out = new Float32Array(average.length);
    movingAverageOnArrays(average, values(inputs[k + 1]), out, oneMinusMomentum);
    outputs.push(backend.makeTensorInfo(inputs[k].shape, 'float32', out));
  }
  return outputs;
}

/**
 * {@link MOVING_AVERAGE_UPDATE} for the `cpu` backend, registered by {@link registerTrainingKernels}.
 *
 * @example
 * tf.registerKernel(movingAverageUpdateCpuConfig); // what registerTrainingKernels() does
 */
export const movingAverageUpdateCpuConfig: KernelConfig = {
  kernelName: MOVING_AVERAGE_UPDATE,
  backendName: 'cpu',
  kernelFunc: movingAverageCpu as unknown as KernelFunc,
};

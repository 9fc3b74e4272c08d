import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { MOMENTUM_UPDATE, type MomentumUpdateAttrs } from '../../ops/momentum-update';

const f32 = Math.fround;

/**
 * One momentum-SGD step on plain arrays: every intermediate is rounded to
 * float32 as the cpu backend's `Mul` and `Add` store it (float64 arithmetic
 * rounded once is float32's correctly rounded product and sum), so it equals
 * tfjs's `MomentumOptimizer` composition bit for bit:
 * `a' = μ·a + g`, `value' = c·a' + value` or, Nesterov, `value' = c·(g + a'·μ) + value`
 * (`c = −lr`).
 *
 * @example
 * const [w, a] = [new Float32Array(2), new Float32Array(2)];
 * momentumUpdateOnArrays(Float32Array.of(1, 2), Float32Array.of(0, 0), Float32Array.of(0.5, -1), w, a, 0.9, -0.1, false);
 * // w ≈ [0.95, 2.1], a = [0.5, -1]
 */
export function momentumUpdateOnArrays(
  value: Float32Array,
  accumulation: Float32Array,
  gradient: Float32Array,
  outValue: Float32Array,
  outAccumulation: Float32Array,
  momentum: number,
  negativeLearningRate: number,
  useNesterov: boolean,
): void {
  const m = f32(momentum);
  const c = f32(negativeLearningRate);
  const n = value.length;
  if (useNesterov) {
    for (let i = 0; i < n; i++) {
      const g = gradient[i];
      const a = f32(f32(m * accumulation[i]) + g);
      outAccumulation[i] = a;
      outValue[i] = f32(f32(c * f32(g + f32(a * m))) + value[i]);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const a = f32(f32(m * accumulation[i]) + gradient[i]);
      outAccumulation[i] = a;
      outValue[i] = f32(f32(c * a) + value[i]);
    }
  }
}

function momentumUpdateCpu(args: {
  inputs: Record<string, TensorInfo>;
  backend: MathBackendCPU;
  attrs: NamedAttrMap;
}): TensorInfo[] {
  const { inputs, backend } = args;
  const { useNesterov } = args.attrs as unknown as MomentumUpdateAttrs;
  const values = (t: TensorInfo) => backend.data.get(t.dataId).values as Float32Array;
  const size = values(inputs.value).length;
  const out = [new Float32Array(size), new Float32Array(size)];
  momentumUpdateOnArrays(
    values(inputs.value),
    values(inputs.accumulation),
    values(inputs.gradient),
    out[0],
    out[1],
    values(inputs.momentum)[0],
    values(inputs.negativeLearningRate)[0],
    useNesterov,
  );
  return out.map((o) => backend.makeTensorInfo(inputs.value.shape, 'float32', o));
}

/**
 * {@link MOMENTUM_UPDATE} for the `cpu` backend, registered by {@link registerTrainingKernels}.
 *
 * @example
 * tf.registerKernel(momentumUpdateCpuConfig); // what registerTrainingKernels() does
 */
export const momentumUpdateCpuConfig: KernelConfig = {
  kernelName: MOMENTUM_UPDATE,
  backendName: 'cpu',
  kernelFunc: momentumUpdateCpu as unknown as KernelFunc,
};

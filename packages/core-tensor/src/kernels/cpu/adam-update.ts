import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../../ops/adam-update';

const f32 = Math.fround;

/**
 * One Adam step on plain arrays: every intermediate is rounded to float32 as
 * the cpu backend's `Mul`, `Add`, `Square`, `RealDiv` and `Sqrt` store it
 * (float64 arithmetic rounded once is float32's correctly rounded result for
 * each of these), so it equals tfjs's Adam composition bit for bit.
 */
export function adamUpdateOnArrays(
  value: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  outValue: Float32Array,
  outM: Float32Array,
  outV: Float32Array,
  biasCorrection1: number,
  biasCorrection2: number,
  attrs: AdamUpdateAttrs,
): void {
  const [b1, omb1, b2, omb2] = [
    attrs.beta1,
    attrs.oneMinusBeta1,
    attrs.beta2,
    attrs.oneMinusBeta2,
  ].map(f32);
  const [eps, negLr] = [f32(attrs.epsilon), f32(attrs.negativeLearningRate)];
  const [c1, c2] = [f32(biasCorrection1), f32(biasCorrection2)];
  for (let i = 0; i < value.length; i++) {
    const gi = g[i];
    const mi = f32(f32(m[i] * b1) + f32(gi * omb1));
    const vi = f32(f32(v[i] * b2) + f32(f32(gi * gi) * omb2));
    outM[i] = mi;
    outV[i] = vi;
    const denominator = f32(f32(Math.sqrt(f32(vi / c2))) + eps);
    outValue[i] = f32(f32(f32(f32(mi / c1) / denominator) * negLr) + value[i]);
  }
}

function adamUpdateCpu(args: {
  inputs: Record<string, TensorInfo>;
  backend: MathBackendCPU;
  attrs: NamedAttrMap;
}): TensorInfo[] {
  const { inputs, backend } = args;
  const attrs = args.attrs as unknown as AdamUpdateAttrs;
  const values = (t: TensorInfo) => backend.data.get(t.dataId).values as Float32Array;
  const size = values(inputs.value).length;
  const out = [new Float32Array(size), new Float32Array(size), new Float32Array(size)];
  adamUpdateOnArrays(
    values(inputs.value),
    values(inputs.firstMoment),
    values(inputs.secondMoment),
    values(inputs.gradient),
    out[0],
    out[1],
    out[2],
    values(inputs.biasCorrection1)[0],
    values(inputs.biasCorrection2)[0],
    attrs,
  );
  return out.map((o) => backend.makeTensorInfo(inputs.value.shape, 'float32', o));
}

/** {@link ADAM_UPDATE} for the `cpu` backend, registered by {@link registerTrainingKernels}. */
export const adamUpdateCpuConfig: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'cpu',
  kernelFunc: adamUpdateCpu as unknown as KernelFunc,
};

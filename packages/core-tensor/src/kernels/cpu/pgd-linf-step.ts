import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { PGD_LINF_STEP } from '../../ops/pgd-linf-step';

const f32 = Math.fround;

/**
 * The fused PGD-L∞ update on plain arrays (`xAdv`, `g`, `x0`, `out` of
 * `alpha.length` samples each): every intermediate is rounded to float32 as
 * the cpu backend's kernels store it (`Sign`, `Mul`, `Add`, `Sub`, `Maximum`,
 * `Minimum`, `Add`, `ClipByValue`), so the result equals that composition bit
 * for bit, NaN and signed zeros included.
 */
export function pgdLinfStepOnCpuArrays(
  xAdv: Float32Array,
  g: Float32Array,
  x0: Float32Array,
  alpha: Float32Array,
  eps: Float32Array,
  out: Float32Array,
  range: readonly [number, number] | null,
): void {
  const perSample = xAdv.length / alpha.length;
  const [lo, hi] = range ? [f32(range[0]), f32(range[1])] : [0, 0];
  for (let b = 0; b < alpha.length; b++) {
    const [a, e] = [alpha[b], eps[b]];
    const end = (b + 1) * perSample;
    for (let i = b * perSample; i < end; i++) {
      const gi = g[i];
      const step = f32(a * (gi > 0 ? 1 : gi < 0 ? -1 : 0));
      const delta = Math.min(Math.max(f32(f32(xAdv[i] + step) - x0[i]), -e), e);
      let v = f32(x0[i] + delta);
      // biome-ignore lint/complexity/useMathMinMax: cpu's ClipByValue compares; Math.max(-0, 0) would turn a −0 into +0
      if (range) v = v > hi ? hi : v < lo ? lo : v;
      out[i] = v;
    }
  }
}

function pgdLinfStepCpu(args: {
  inputs: Record<string, TensorInfo>;
  backend: MathBackendCPU;
  attrs: NamedAttrMap;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { clip, lo, hi } = attrs as { clip: boolean; lo: number; hi: number };
  const values = (t: TensorInfo) => backend.data.get(t.dataId).values as Float32Array;
  const out = new Float32Array(values(inputs.xAdv).length);
  pgdLinfStepOnCpuArrays(
    values(inputs.xAdv),
    values(inputs.gradient),
    values(inputs.x),
    values(inputs.stepSize),
    values(inputs.epsilon),
    out,
    clip ? [lo, hi] : null,
  );
  return backend.makeTensorInfo(inputs.xAdv.shape, 'float32', out);
}

/** {@link PGD_LINF_STEP} for the `cpu` backend, registered by {@link registerTrainingKernels}. */
export const pgdLinfStepCpuConfig: KernelConfig = {
  kernelName: PGD_LINF_STEP,
  backendName: 'cpu',
  kernelFunc: pgdLinfStepCpu as unknown as KernelFunc,
};

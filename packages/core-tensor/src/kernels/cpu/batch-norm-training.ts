import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAINING } from '../../ops/batch-norm-training';
import { batchNormTrainingOnArrays } from './batch-norm-training-arrays';

/**
 * {@link BATCH_NORM_TRAINING} for the `cpu` backend: `x`, `scale`, `offset` →
 * `[y, mean, variance]` by {@link batchNormTrainingOnArrays} (the wasm
 * kernel's arithmetic, so the two backends agree bit for bit).
 */
function batchNormTrainingCpu(args: {
  inputs: Record<string, TensorInfo>;
  backend: MathBackendCPU;
  attrs: NamedAttrMap;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x, scale, offset } = inputs;
  const values = (t: TensorInfo) => backend.data.get(t.dataId).values as Float32Array;
  const channels = x.shape[x.shape.length - 1];
  const y = new Float32Array(values(x).length);
  const mean = new Float32Array(channels);
  const variance = new Float32Array(channels);
  batchNormTrainingOnArrays(
    values(x),
    { scale: values(scale), offset: values(offset), epsilon: attrs.epsilon as number },
    y,
    mean,
    variance,
  );
  return [
    backend.makeTensorInfo(x.shape, 'float32', y),
    backend.makeTensorInfo([channels], 'float32', mean),
    backend.makeTensorInfo([channels], 'float32', variance),
  ];
}

/** Registered for `cpu` by {@link registerTrainingKernels}. */
export const batchNormTrainingCpuConfig: KernelConfig = {
  kernelName: BATCH_NORM_TRAINING,
  backendName: 'cpu',
  kernelFunc: batchNormTrainingCpu as unknown as KernelFunc,
};

import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAINING_GRAD } from '../../ops/batch-norm-training';
import { batchNormTrainingGradOnArrays } from './batch-norm-training-arrays';

/**
 * {@link BATCH_NORM_TRAINING_GRAD} for the `cpu` backend: `dy`, `x`, `scale`,
 * `mean`, `variance`, `dMean`, `dVariance` → `[dx, dScale, dOffset]` by
 * {@link batchNormTrainingGradOnArrays} (the wasm kernel's arithmetic).
 */
function batchNormTrainingGradCpu(args: {
  inputs: Record<string, TensorInfo>;
  backend: MathBackendCPU;
  attrs: NamedAttrMap;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const values = (t: TensorInfo) => backend.data.get(t.dataId).values as Float32Array;
  const { x } = inputs;
  const channels = x.shape[x.shape.length - 1];
  const dx = new Float32Array(values(x).length);
  const { dScale, dOffset } = batchNormTrainingGradOnArrays(
    values(inputs.dy),
    values(x),
    {
      mean: values(inputs.mean),
      variance: values(inputs.variance),
      scale: values(inputs.scale),
      dMean: values(inputs.dMean),
      dVariance: values(inputs.dVariance),
      epsilon: attrs.epsilon as number,
    },
    dx,
  );
  return [
    backend.makeTensorInfo(x.shape, 'float32', dx),
    backend.makeTensorInfo([channels], 'float32', dScale),
    backend.makeTensorInfo([channels], 'float32', dOffset),
  ];
}

/** Registered for `cpu` by {@link registerTrainingKernels}. */
export const batchNormTrainingGradCpuConfig: KernelConfig = {
  kernelName: BATCH_NORM_TRAINING_GRAD,
  backendName: 'cpu',
  kernelFunc: batchNormTrainingGradCpu as unknown as KernelFunc,
};

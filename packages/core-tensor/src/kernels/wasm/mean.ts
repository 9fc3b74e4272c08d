import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type {
  KernelConfig,
  KernelFunc,
  MeanAttrs,
  MeanInputs,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { Mean } from '@tensorflow/tfjs-core';
import { originalKernel } from './original-kernels';
import { reduceContiguousAxes } from './sum';

/**
 * `Mean` for wasm with `Sum`'s fast path for the leading axes of a float32
 * tensor: BatchNorm's per-channel moments in training mode (`[128,32,32,16]` →
 * `[16]`, 14 calls per CIFAR ResNet-20 step), which tfjs-backend-wasm computes
 * by transposing the reduced axes to the end first (9 ms a call, 1 thread);
 * and any other contiguous run of axes short of the last, such as global
 * average pooling's spatial axes (`[128, 8, 8, 64]` → `[128, 64]`: 0.86–1.0 ms).
 * The sum is kept in float64 and divided before rounding to float32, so the
 * result is the correctly rounded mean of the float32 inputs' float64 sum
 * (the cpu backend divides a float32 sum: the two agree to an ulp or so).
 */
function mean(args: { inputs: MeanInputs; backend: BackendWasm; attrs: MeanAttrs }): TensorInfo {
  return (
    reduceContiguousAxes(args.inputs.x as TensorInfo, args.backend, args.attrs, true) ??
    (originalKernel('Mean').kernelFunc(args as never) as TensorInfo)
  );
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const meanConfig: KernelConfig = {
  kernelName: Mean,
  backendName: 'wasm',
  setupFunc: originalKernel('Mean').setupFunc,
  kernelFunc: mean as unknown as KernelFunc,
};

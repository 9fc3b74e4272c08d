import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, TensorInfo, UnaryInputs } from '@tensorflow/tfjs-core';
import { Sign } from '@tensorflow/tfjs-core';
import { originalKernel } from './original-kernels';

/**
 * `Sign` for wasm with the cpu backend's semantics: `sign(v) = −1` for `v < 0`,
 * `+1` for `v > 0`, `0` otherwise (±0 and NaN; tfjs's own op test "does not
 * propagate NaNs" expects NaN → 0).
 *
 * tfjs-backend-wasm's kernel returns 0 for every `|v| < 1.19e-7` (FLT_EPSILON),
 * so a sign-of-gradient step (FGSM, PGD-L∞, masked PGD) on a confident sample,
 * whose loss gradient is tiny, never moves its pixels: PGD-10 robust accuracy of
 * an FMNIST CNN with ×8 logits read 0.688 on wasm against 0.188 on cpu. One
 * pass over the wasm heap; comparisons, not a threshold, so denormals keep
 * their sign. Non-float32 tensors go to the original kernel (exact for integers).
 */
function sign(args: { inputs: UnaryInputs; backend: BackendWasm }): TensorInfo {
  const { inputs, backend } = args;
  const x = inputs.x as TensorInfo;
  if (x.dtype !== 'float32') {
    return originalKernel('Sign').kernelFunc(args as never) as TensorInfo;
  }
  const out = backend.makeOutput(x.shape, 'float32');
  // Views are taken after makeOutput: growing the wasm memory detaches older ones.
  const outValues = backend.typedArrayFromHeap(out) as Float32Array;
  const xValues = backend.typedArrayFromHeap(x) as Float32Array;
  for (let i = 0; i < xValues.length; i++) {
    const v = xValues[i];
    outValues[i] = v > 0 ? 1 : v < 0 ? -1 : 0;
  }
  return out;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const signConfig: KernelConfig = {
  kernelName: Sign,
  backendName: 'wasm',
  setupFunc: originalKernel('Sign').setupFunc,
  kernelFunc: sign as unknown as KernelFunc,
};

import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD } from '../../ops/softmax-cross-entropy';
import {
  softmaxCrossEntropyGradOnArrays,
  softmaxCrossEntropyOnArrays,
} from '../cpu/softmax-cross-entropy';

/**
 * {@link SOFTMAX_CROSS_ENTROPY} and its gradient for wasm: the cpu kernels'
 * loops on the wasm heap (logits are `[batch, classes]`, a few thousand
 * values: one JavaScript pass beats the ~20 kernel calls of the composition),
 * so wasm gives the cpu backend's values bit for bit.
 */
function softmaxCrossEntropyWasm(args: {
  inputs: Record<string, TensorInfo>;
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, backend } = args;
  const [batch, classes] = inputs.logits.shape;
  const out = backend.makeOutput([batch], 'float32');
  // Views are taken after makeOutput: growing the wasm memory detaches older ones.
  const view = (t: TensorInfo) => backend.typedArrayFromHeap(t);
  softmaxCrossEntropyOnArrays(
    view(inputs.logits) as Float32Array,
    view(inputs.labels) as Int32Array,
    classes,
    view(out) as Float32Array,
  );
  return out;
}

function softmaxCrossEntropyGradWasm(args: {
  inputs: Record<string, TensorInfo>;
  backend: BackendWasm;
}): TensorInfo {
  const { inputs, backend } = args;
  const [batch, classes] = inputs.logits.shape;
  const out = backend.makeOutput([batch, classes], 'float32');
  const view = (t: TensorInfo) => backend.typedArrayFromHeap(t);
  softmaxCrossEntropyGradOnArrays(
    view(inputs.dy) as Float32Array,
    view(inputs.logits) as Float32Array,
    view(inputs.labels) as Int32Array,
    classes,
    view(out) as Float32Array,
  );
  return out;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const softmaxCrossEntropyWasmConfig: KernelConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY,
  backendName: 'wasm',
  kernelFunc: softmaxCrossEntropyWasm as unknown as KernelFunc,
};

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const softmaxCrossEntropyGradWasmConfig: KernelConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY_GRAD,
  backendName: 'wasm',
  kernelFunc: softmaxCrossEntropyGradWasm as unknown as KernelFunc,
};

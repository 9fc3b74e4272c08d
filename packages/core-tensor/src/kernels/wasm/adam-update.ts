import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../../ops/adam-update';
import { adamUpdateOnArrays } from '../cpu/adam-update';
import { heapAddress, heapSimd } from './heap-simd';

/**
 * {@link ADAM_UPDATE} for wasm: trustgrad's SIMD `adamUpdate` (one pass over
 * the heap, 4 floats at a time) in place of tfjs Adam's 13 kernel calls per
 * variable; the cpu kernel's JavaScript loop when the SIMD module is unavailable.
 */
function adamUpdateWasm(args: {
  inputs: Record<string, TensorInfo>;
  backend: BackendWasm;
  attrs: NamedAttrMap;
}): TensorInfo[] {
  const { inputs, backend } = args;
  const attrs = args.attrs as unknown as AdamUpdateAttrs;
  const { value, firstMoment, secondMoment, gradient } = inputs;
  const outputs = [0, 1, 2].map(() => backend.makeOutput(value.shape, 'float32'));
  // Views are taken after makeOutput: growing the wasm memory detaches older ones.
  const view = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  const [c1, c2] = [view(inputs.biasCorrection1)[0], view(inputs.biasCorrection2)[0]];
  const kernels = heapSimd(backend);
  if (kernels) {
    const at = (t: TensorInfo) => heapAddress(backend, t.dataId);
    kernels.adamUpdate(
      at(value),
      at(firstMoment),
      at(secondMoment),
      at(gradient),
      at(outputs[0]),
      at(outputs[1]),
      at(outputs[2]),
      view(value).length,
      attrs.beta1,
      attrs.oneMinusBeta1,
      attrs.beta2,
      attrs.oneMinusBeta2,
      c1,
      c2,
      attrs.epsilon,
      attrs.negativeLearningRate,
    );
    return outputs;
  }
  adamUpdateOnArrays(
    view(value),
    view(firstMoment),
    view(secondMoment),
    view(gradient),
    view(outputs[0]),
    view(outputs[1]),
    view(outputs[2]),
    c1,
    c2,
    attrs,
  );
  return outputs;
}

/** Registered for `wasm` by {@link registerTrainingKernels}. */
export const adamUpdateWasmConfig: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: adamUpdateWasm as unknown as KernelFunc,
};

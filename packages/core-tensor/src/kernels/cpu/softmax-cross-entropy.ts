import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD } from '../../ops/softmax-cross-entropy';

const f32 = Math.fround;

/**
 * Row `i`'s `logSoftmax` into `value` (`[classes]`), as the cpu backend's
 * kernels compute tfjs's composition: `Max` (a NaN wins, else `v > max`),
 * `Sub`, `Exp`, `Sum` (a float64 running sum rounded once), `Log`, `Sub`, each
 * result rounded to float32 as the kernel stores it.
 */
function logSoftmaxRow(z: Float32Array, at: number, classes: number, value: Float64Array): void {
  let max = z[at];
  for (let j = 0; j < classes; j++) {
    const v = z[at + j];
    if (Number.isNaN(v) || v > max) max = v;
  }
  let sum = 0;
  for (let j = 0; j < classes; j++) {
    const shifted = f32(z[at + j] - max);
    value[j] = shifted;
    sum += f32(Math.exp(shifted));
  }
  const logSum = f32(Math.log(f32(sum)));
  for (let j = 0; j < classes; j++) value[j] = f32(value[j] - logSum);
}

/** `oneHot(labels)[i, j]` as tfjs's `oneHot` (1 at the label, 0 elsewhere, a zero row for a label out of range). */
const hot = (label: number, j: number) => (label === j ? 1 : 0);

/** `CE_i = −Σ_j f32(oneHot_ij · value_ij)` (the cpu `Mul`, `Sum`, `Neg`), on plain arrays. */
export function softmaxCrossEntropyOnArrays(
  logits: Float32Array,
  labels: Int32Array,
  classes: number,
  out: Float32Array,
): void {
  const value = new Float64Array(classes);
  for (let i = 0; i < out.length; i++) {
    logSoftmaxRow(logits, i * classes, classes, value);
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += f32(hot(labels[i], j) * value[j]);
    out[i] = -f32(sum);
  }
}

/**
 * `∂CE/∂z` as tfjs's autodiff of the composition on cpu: `a_ij = f32(−dy_i · oneHot_ij)`
 * (the gradients of `neg`, `sum`, `mul`), then logSoftmax's gradient
 * `f32(a_ij − f32(f32(Σ_j a_ij) · f32(exp(value_ij))))`.
 */
export function softmaxCrossEntropyGradOnArrays(
  dy: Float32Array,
  logits: Float32Array,
  labels: Int32Array,
  classes: number,
  out: Float32Array,
): void {
  const value = new Float64Array(classes);
  const a = new Float64Array(classes);
  for (let i = 0; i < dy.length; i++) {
    const at = i * classes;
    logSoftmaxRow(logits, at, classes, value);
    const negDy = f32(-dy[i]);
    let sum = 0;
    for (let j = 0; j < classes; j++) {
      a[j] = f32(negDy * hot(labels[i], j));
      sum += a[j];
    }
    const total = f32(sum);
    for (let j = 0; j < classes; j++) {
      out[at + j] = f32(a[j] - f32(total * f32(Math.exp(value[j]))));
    }
  }
}

function softmaxCrossEntropyCpu(args: {
  inputs: Record<string, TensorInfo>;
  backend: MathBackendCPU;
}): TensorInfo {
  const { inputs, backend } = args;
  const values = (t: TensorInfo) => backend.data.get(t.dataId).values;
  const [batch, classes] = inputs.logits.shape;
  const out = new Float32Array(batch);
  softmaxCrossEntropyOnArrays(
    values(inputs.logits) as Float32Array,
    values(inputs.labels) as Int32Array,
    classes,
    out,
  );
  return backend.makeTensorInfo([batch], 'float32', out);
}

function softmaxCrossEntropyGradCpu(args: {
  inputs: Record<string, TensorInfo>;
  backend: MathBackendCPU;
}): TensorInfo {
  const { inputs, backend } = args;
  const values = (t: TensorInfo) => backend.data.get(t.dataId).values;
  const [batch, classes] = inputs.logits.shape;
  const out = new Float32Array(batch * classes);
  softmaxCrossEntropyGradOnArrays(
    values(inputs.dy) as Float32Array,
    values(inputs.logits) as Float32Array,
    values(inputs.labels) as Int32Array,
    classes,
    out,
  );
  return backend.makeTensorInfo([batch, classes], 'float32', out);
}

/** {@link SOFTMAX_CROSS_ENTROPY} for the `cpu` backend, registered by {@link registerTrainingKernels}. */
export const softmaxCrossEntropyCpuConfig: KernelConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY,
  backendName: 'cpu',
  kernelFunc: softmaxCrossEntropyCpu as unknown as KernelFunc,
};

/** {@link SOFTMAX_CROSS_ENTROPY_GRAD} for the `cpu` backend. */
export const softmaxCrossEntropyGradCpuConfig: KernelConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY_GRAD,
  backendName: 'cpu',
  kernelFunc: softmaxCrossEntropyGradCpu as unknown as KernelFunc,
};

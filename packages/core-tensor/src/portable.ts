/**
 * The part of core-tensor's API that runs in any JavaScript host; both entries
 * (`index.ts` for Node, `browser.ts` for browsers) export it. Nothing imported
 * from here may import a `node:` module or touch `process` at import time
 * (`src/browser-entry.test.ts` bundles the browser entry to check).
 */
export {
  BACKEND_PREFERENCE,
  type BackendChoice,
  type BackendName,
  currentBackend,
  type InitBackendOptions,
} from './backend/start-backend';
export { assertFinite } from './checks/assert-finite';
export { assertLabelsInRange } from './checks/assert-labels';
export {
  BackendUnavailableError,
  DuplicatePluginError,
  EmptyBatchError,
  InvalidOptionError,
  LabelRangeError,
  LayerNotFoundError,
  MissingDependencyError,
  NonFiniteInputError,
  NonFiniteValueError,
  ShapeError,
  TrustgradError,
  UnknownPluginError,
} from './errors/trustgrad-error';
export { optionalDependency } from './io/optional-dependency';
export { registerTrainingKernels } from './kernels/register-training-kernels';
export { wasmTrainingKernels } from './kernels/wasm';
export {
  setConvWinograd4x4Enabled,
  setConvWinogradEnabled,
} from './kernels/wasm/conv-winograd-ops';
export {
  type BatchNormalizationArgs,
  FusedBatchNormalization,
} from './layers/fused-batch-normalization';
export { type Conv2DArgs, LazyGradientConv2D } from './layers/lazy-gradient-conv2d';
export {
  type AnyModelPlugin,
  defineModel,
  type ModelPlugin,
  type ModelSpec,
  modelRegistry,
} from './model/define-model';
export { allLayers, findLayer } from './model/find-layer';
export {
  ADAM_UPDATE,
  type AdamHyperParameters,
  type AdamUpdateResult,
  adamUpdate,
  composedAdamUpdate,
} from './ops/adam-update';
export {
  type AxisOperator,
  axisOperatorFromMatrix,
  axisOperatorMatrix,
  transposeAxisOperator,
} from './ops/axis-operator';
export {
  BANDED_SEPARABLE_FILTER,
  bandedSeparableFilter,
  hasFastBandedSeparableFilter,
} from './ops/banded-separable-filter';
export {
  BATCH_NORM_TRAINING,
  BATCH_NORM_TRAINING_GRAD,
  type BatchNormTrainingOptions,
  type BatchNormTrainingResult,
  batchNormTraining,
  composedBatchNormTraining,
  hasFastBatchNormTraining,
} from './ops/batch-norm-training';
export {
  composedMomentumUpdate,
  MOMENTUM_UPDATE,
  type MomentumUpdateResult,
  momentumUpdate,
} from './ops/momentum-update';
export {
  composedMovingAverageUpdate,
  MOVING_AVERAGE_UPDATE,
  type MovingAveragePair,
  movingAverageUpdate,
} from './ops/moving-average-update';
export {
  composedPgdLinfStep,
  PGD_LINF_STEP,
  type PgdLinfStepOptions,
  pgdLinfStep,
} from './ops/pgd-linf-step';
export {
  composedSoftmaxCrossEntropy,
  SOFTMAX_CROSS_ENTROPY,
  SOFTMAX_CROSS_ENTROPY_GRAD,
  softmaxCrossEntropy,
} from './ops/softmax-cross-entropy';
export { FusedAdamOptimizer } from './optimizers/fused-adam';
export { FusedMomentumOptimizer } from './optimizers/fused-momentum';
export { checkAttackRadius } from './options/attack-radius';
export { PGD_STEP_FACTOR, pgdStepSize } from './options/pgd-step-size';
export { closestName, resolveOptions, unknownOption } from './options/resolve-options';
export type { ProgressCallback, ProgressEvent } from './progress/progress-event';
export {
  createProgressRenderer,
  formatEvent,
  type ProgressMode,
  type ProgressRenderer,
  type ProgressRendererOptions,
  type ProgressStream,
} from './progress/progress-renderer';
export { mixSeed } from './random/mix-seed';
export { type RandomState, SeededRandom } from './random/seeded-random';
export {
  type DefineOptions,
  type KeyStyle,
  type Named,
  type RegisterOptions,
  Registry,
  type RegistryOptions,
  registerUnlessTold,
  sharedRegistry,
} from './registry/registry';
export { assertRank, assertSameShape, assertShape, type ShapePattern } from './shape/assert-shape';
export { assertNoLeaks, countLeakedTensors, TensorLeakError } from './testing/leak-guard';
export { CIFAR_RESNET_DEFAULTS, type CifarResNetOptions, cifarResNet } from './zoo/cifar-resnet';
export { FMNIST_CNN_DEFAULTS, type FmnistCnnOptions, fmnistCnn } from './zoo/fmnist-cnn';
export {
  IMAGENETTE_RESNET18_DEFAULTS,
  IMAGENETTE_RESNET18_PAPER_BLOCK,
  type ImagenetteResNet18Options,
  imagenetteResNet18,
} from './zoo/imagenette-resnet18';
export { LENET5_DEFAULTS, LENET5_PAPER_BLOCK, type Lenet5Options, lenet5 } from './zoo/lenet5';
export type { PaperBlockPlacement, ZooModelOptions } from './zoo/model-options';
export {
  WIDE_RESNET_DEFAULTS,
  WIDE_RESNET_PAPER_BLOCK,
  type WideResNetOptions,
  wideResNet,
} from './zoo/wide-resnet';
export { zooModels } from './zoo/zoo-models';

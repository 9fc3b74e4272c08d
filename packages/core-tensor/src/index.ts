/**
 * @packageDocumentation
 * The foundation of trustgrad: backend selection, training kernels for the
 * embedded wasm backend (registered on import), seeded randomness, the plugin
 * registry, shape checks, a tensor-leak guard, file IO and the model zoo.
 */
import { registerFileSystemRouters } from './io/file-system-io';
import { registerTrainingKernels } from './kernels/register-training-kernels';

export {
  BACKEND_PREFERENCE,
  type BackendChoice,
  type BackendName,
  currentBackend,
  type InitBackendOptions,
  initBackend,
} from './backend/init-backend';
export {
  BackendUnavailableError,
  DuplicatePluginError,
  InvalidOptionError,
  MissingDependencyError,
  ShapeError,
  TrustgradError,
  UnknownPluginError,
} from './errors/trustgrad-error';
export {
  fileSystemIO,
  ModelFileError,
  registerFileSystemRouters,
} from './io/file-system-io';
export {
  removeStaleTemps,
  syncDirectory,
  tempPathFor,
  writeAtomic,
  writeDurable,
} from './io/write-atomic';
export { registerTrainingKernels } from './kernels/register-training-kernels';
export { wasmTrainingKernels } from './kernels/wasm';
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
export { type RandomState, SeededRandom } from './random/seeded-random';
export { type Named, type RegisterOptions, Registry } from './registry/registry';
export { assertRank, assertSameShape, assertShape, type ShapePattern } from './shape/assert-shape';
export { assertNoLeaks, countLeakedTensors, TensorLeakError } from './testing/leak-guard';
export { type CifarResNetOptions, cifarResNet } from './zoo/cifar-resnet';
export { type FmnistCnnOptions, fmnistCnn } from './zoo/fmnist-cnn';
export { type ImagenetteResNet18Options, imagenetteResNet18 } from './zoo/imagenette-resnet18';
export type { ZooModelOptions } from './zoo/model-options';

registerTrainingKernels();
registerFileSystemRouters();

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
  currentBackend,
  initBackend,
  type BackendChoice,
  type BackendName,
  type InitBackendOptions,
} from './backend/init-backend';
export {
  BackendUnavailableError,
  DuplicatePluginError,
  InvalidOptionError,
  ShapeError,
  TrustgradError,
  UnknownPluginError,
} from './errors/trustgrad-error';
export { ModelFileError, fileSystemIO, registerFileSystemRouters, writeAtomic } from './io/file-system-io';
export { registerTrainingKernels } from './kernels/register-training-kernels';
export { wasmTrainingKernels } from './kernels/wasm';
export { SeededRandom, type RandomState } from './random/seeded-random';
export { Registry, type Named, type RegisterOptions } from './registry/registry';
export { assertRank, assertSameShape, assertShape, type ShapePattern } from './shape/assert-shape';
export { TensorLeakError, assertNoLeaks, countLeakedTensors } from './testing/leak-guard';
export { cifarResNet, type CifarResNetOptions } from './zoo/cifar-resnet';
export { fmnistCnn, type FmnistCnnOptions } from './zoo/fmnist-cnn';
export { imagenetteResNet18, type ImagenetteResNet18Options } from './zoo/imagenette-resnet18';
export type { ZooModelOptions } from './zoo/model-options';

registerTrainingKernels();
registerFileSystemRouters();

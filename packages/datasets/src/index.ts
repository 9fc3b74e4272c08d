/**
 * @packageDocumentation
 * Datasets of trustgrad from their official formats — Fashion-MNIST (IDX),
 * CIFAR-10 (binary version, folder or .tar.gz), ImageNette (JPEG folders,
 * cached packed) and synthetic shapes with ground-truth masks — behind one
 * plugin interface, with seeded shuffling, batching, augmentation and subsets.
 */

/**
 * Long loads report core-tensor's one progress event through `onProgress`
 * (stages `'read'`, `'decompress'`, `'download'`, `'decode'`, `'generate'`,
 * `'cache'`; `file` set where there is one), so the trainer's and the bench's
 * renderer draws them too.
 */
export type { ProgressCallback, ProgressEvent } from '@trustgrad/core-tensor';
export { BUILTIN_DATASETS } from './builtin-datasets';
export { type Cifar10Options, cifar10, readCifar10 } from './cifar10/cifar10';
export { CIFAR10_RECORD_BYTES, decodeCifarBatch } from './cifar10/cifar10-records';
export { defaultCacheDir } from './download/cache-dir';
export {
  type DownloadOptions,
  downloadVerified,
  sha256Hex,
  type VerifiedFile,
} from './download/download-verified';
export {
  DatasetChecksumError,
  DatasetDownloadError,
  DatasetError,
  DatasetFormatError,
  DatasetNotFoundError,
  DatasetReadError,
} from './errors/dataset-errors';
export {
  type FashionMnistOptions,
  fashionMnist,
  readFashionMnist,
} from './fashion-mnist/fashion-mnist';
export {
  DEBIAN_FASHION_MNIST_DIR,
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DOWNLOADS,
  FASHION_MNIST_FILES,
} from './fashion-mnist/fashion-mnist-files';
export {
  type FashionMnistPaths,
  type LocateFashionMnistOptions,
  locateFashionMnist,
} from './fashion-mnist/locate-fashion-mnist';
export { type IdxArray, parseIdx } from './formats/idx';
export { readTarEntries, type TarEntry } from './formats/ustar';
export type { ResizeFit } from './imagenette/decode-jpeg';
export { type ImagenetteOptions, imagenette } from './imagenette/imagenette';
export { IMAGENETTE_CLASS_NAMES, IMAGENETTE_CLASSES } from './imagenette/imagenette-classes';
export type {
  CommonLoadOptions,
  Dataset,
  DatasetPlugin,
  DatasetSplits,
} from './plugin/dataset';
export { datasetRegistry } from './plugin/dataset-registry';
export { defineDataset } from './plugin/define-dataset';
export { applyCommonOptions, loadDataset } from './plugin/load-dataset';
export { type AugmentOptions, DEFAULT_AUGMENT } from './preprocess/augment';
export type { Normalization } from './preprocess/normalize';
export { type FileRecordSourceInit, fileRecordSource } from './source/file-record-source';
export type { ImageShape } from './source/image-shape';
export {
  type ImageSource,
  type MemoryImageSourceInit,
  memoryImageSource,
} from './source/image-source';
export type { Batch } from './split/batch';
export type { BatchOptions } from './split/batch-options';
export {
  DataSplit,
  type DataSplitInit,
  disposeBatch,
  type ValidationSplitOptions,
} from './split/data-split';
export type { SubsetOptions } from './subset/select-examples';
export { type ShapeClass, SYNTHETIC_SHAPES } from './synthetic/shapes';
export { type SyntheticOptions, syntheticGroundTruth } from './synthetic/synthetic-ground-truth';

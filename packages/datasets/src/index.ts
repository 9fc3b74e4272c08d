/**
 * @packageDocumentation
 * Datasets of trustgrad from their official formats — Fashion-MNIST (IDX),
 * CIFAR-10 (binary version, folder or .tar.gz), ImageNette (JPEG folders,
 * cached packed) and synthetic shapes with ground-truth masks — behind one
 * plugin interface, with seeded shuffling, batching, augmentation and subsets.
 */
import { registerBuiltinDatasets } from './builtin-datasets';

export { BUILTIN_DATASETS, registerBuiltinDatasets } from './builtin-datasets';
export { DEFAULT_AUGMENT, type AugmentOptions } from './core/augment';
export type { BatchOptions } from './core/batch-options';
export { defaultCacheDir } from './core/cache-dir';
export { DataSplit, disposeBatch, type DataSplitInit, type ValidationSplitOptions } from './core/data-split';
export { fileRecordSource, type FileRecordSourceInit } from './core/file-record-source';
export { memoryImageSource, type ImageSource, type MemoryImageSourceInit } from './core/image-source';
export type { Normalization } from './core/normalize';
export type { SubsetOptions } from './core/select-examples';
export type { Batch, ImageShape, Progress, ProgressCallback } from './core/types';
export { cifar10, readCifar10, type Cifar10Options } from './cifar10/cifar10';
export { CIFAR10_RECORD_BYTES, decodeCifarBatch } from './cifar10/cifar10-records';
export { downloadVerified, sha256Hex, type DownloadOptions, type VerifiedFile } from './download/download-verified';
export {
  DatasetChecksumError,
  DatasetDownloadError,
  DatasetError,
  DatasetFormatError,
  DatasetNotFoundError,
  DatasetReadError,
} from './errors/dataset-errors';
export { fashionMnist, readFashionMnist, type FashionMnistOptions } from './fashion-mnist/fashion-mnist';
export {
  DEBIAN_FASHION_MNIST_DIR,
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DOWNLOADS,
  FASHION_MNIST_FILES,
} from './fashion-mnist/fashion-mnist-files';
export { locateFashionMnist, type FashionMnistPaths, type LocateFashionMnistOptions } from './fashion-mnist/locate-fashion-mnist';
export { parseIdx, type IdxArray } from './formats/idx';
export { readTarEntries, type TarEntry } from './formats/ustar';
export type { ResizeFit } from './imagenette/decode-jpeg';
export { imagenette, type ImagenetteOptions } from './imagenette/imagenette';
export { IMAGENETTE_CLASSES, IMAGENETTE_CLASS_NAMES } from './imagenette/imagenette-classes';
export type { CommonLoadOptions, Dataset, DatasetDescription, DatasetPlugin } from './plugin/dataset';
export { datasetRegistry, registerDataset } from './plugin/dataset-registry';
export { defineDataset } from './plugin/define-dataset';
export { applyCommonOptions, loadDataset } from './plugin/load-dataset';
export { SYNTHETIC_SHAPES, type ShapeClass } from './synthetic/shapes';
export { syntheticGroundTruth, type SyntheticOptions } from './synthetic/synthetic-ground-truth';

registerBuiltinDatasets();

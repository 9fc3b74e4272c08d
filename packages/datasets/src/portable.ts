/**
 * The part of the datasets API that runs in any JavaScript host; both entries
 * (`index.ts` for Node, `browser.ts` for browsers) export it. Nothing imported
 * from here may import a `node:` module or sharp (`src/browser-entry.test.ts`
 * bundles the browser entry to check): files come in as bytes.
 */
/**
 * Long loads report core-tensor's one progress event through `onProgress`
 * (stages `'read'`, `'decompress'`, `'download'`, `'decode'`, `'generate'`,
 * `'cache'`; `file` set where there is one), so the trainer's and the bench's
 * renderer draws them too.
 */
export type { ProgressCallback, ProgressEvent } from '@trustgrad/core-tensor';
export { CIFAR10_RECORD_BYTES, decodeCifarBatch } from './cifar10/cifar10-records';
export type { VerifiedFile } from './download/download-verified';
export {
  DatasetChecksumError,
  DatasetDownloadError,
  DatasetError,
  DatasetFormatError,
  DatasetNotFoundError,
  DatasetReadError,
} from './errors/dataset-errors';
export {
  DEBIAN_FASHION_MNIST_DIR,
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DOWNLOADS,
  FASHION_MNIST_FILES,
} from './fashion-mnist/fashion-mnist-files';
export {
  type FashionMnistBytes,
  type FashionMnistSplitBytes,
  type IdxBytes,
  parseFashionMnist,
  parseFashionMnistSplit,
} from './fashion-mnist/parse-fashion-mnist';
export { type IdxArray, parseIdx } from './formats/idx';
export { readTarEntries, type TarEntry } from './formats/ustar';
export type { ResizeFit } from './imagenette/decode-jpeg';
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

/**
 * @packageDocumentation
 * Datasets of trustgrad from their official formats — Fashion-MNIST (IDX),
 * CIFAR-10 (binary version, folder or .tar.gz), ImageNette (JPEG folders,
 * cached packed) and synthetic shapes with ground-truth masks — behind one
 * plugin interface, with seeded shuffling, batching, augmentation and subsets.
 * This is the Node entry; bundlers for the web get `browser.ts` (the same API
 * without what reads files, downloads or decodes JPEGs, with Fashion-MNIST
 * parsed from bytes) through the `browser` export condition.
 */
export { BUILTIN_DATASETS } from './builtin-datasets';
export { type Cifar10Options, cifar10, readCifar10 } from './cifar10/cifar10';
export { defaultCacheDir } from './download/cache-dir';
export {
  type DownloadOptions,
  downloadVerified,
  sha256Hex,
} from './download/download-verified';
export {
  type FashionMnistOptions,
  fashionMnist,
  readFashionMnist,
} from './fashion-mnist/fashion-mnist';
export {
  type FashionMnistPaths,
  type LocateFashionMnistOptions,
  locateFashionMnist,
} from './fashion-mnist/locate-fashion-mnist';
export { type ImagenetteOptions, imagenette } from './imagenette/imagenette';
export * from './portable';
export { type FileRecordSourceInit, fileRecordSource } from './source/file-record-source';

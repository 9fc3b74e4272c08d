import type { ProgressCallback } from '@trustgrad/core-tensor';
import { defaultCacheDir } from '../download/cache-dir';
import { readFileBytes } from '../formats/read-bytes';
import { defineDataset } from '../plugin/define-dataset';
import type { DataSplit } from '../split/data-split';
import {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_FILES,
  FASHION_MNIST_FIX,
} from './fashion-mnist-files';
import { type FashionMnistPaths, locateFashionMnist } from './locate-fashion-mnist';
import { parseFashionMnistSplit } from './parse-fashion-mnist';

/** Options of the `fashion-mnist` dataset. */
export interface FashionMnistOptions {
  /** Folder with the four IDX files (raw or .gz). Default: the Debian folder, then the cache, then a download. */
  readonly path?: string;
  /** Folder for downloads. Default {@link defaultCacheDir}. */
  readonly cacheDir?: string;
  /** Allow the checksum-verified download when no local copy exists. Default true. */
  readonly download?: boolean;
  /** The fetch used for downloading. Default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch;
  /** System folder tried after `path`. Default `/usr/share/datasets/fashion-mnist`. */
  readonly systemDir?: string;
  readonly onProgress?: ProgressCallback;
}

const SIDE = 28;

/** Reads one images file and its labels file from disk and parses them into a split. */
async function readSplit(
  name: string,
  imagesPath: string,
  labelsPath: string,
  onProgress?: ProgressCallback,
): Promise<DataSplit> {
  const images = await readFileBytes(imagesPath, FASHION_MNIST_FIX);
  onProgress?.({ stage: 'read', done: 1, total: 2, file: imagesPath });
  const labels = await readFileBytes(labelsPath, FASHION_MNIST_FIX);
  onProgress?.({ stage: 'read', done: 2, total: 2, file: labelsPath });
  return parseFashionMnistSplit({
    name,
    images,
    labels,
    imagesFile: imagesPath,
    labelsFile: labelsPath,
  });
}

/** Loads the four Fashion-MNIST files at `paths` (60k train / 10k test, 28×28×1). */
export async function readFashionMnist(paths: FashionMnistPaths, onProgress?: ProgressCallback) {
  const train = await readSplit('train', paths.trainImages, paths.trainLabels, onProgress);
  const test = await readSplit('test', paths.testImages, paths.testLabels, onProgress);
  return { train, test };
}

/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 28×28 grey images of 10 kinds
 * of clothing, 60 000 train / 10 000 test, from IDX files. Held as bytes:
 * 70 000 × 784 B = 55 MB.
 */
export const fashionMnist = defineDataset<FashionMnistOptions>(
  {
    name: 'fashion-mnist',
    description:
      'Fashion-MNIST (Xiao et al. 2017): 70 000 28×28 grey images of 10 clothing classes',
    classNames: FASHION_MNIST_CLASSES,
    imageShape: [SIDE, SIDE, 1],
    source: `IDX files ${Object.values(FASHION_MNIST_FILES).join(', ')} (raw or .gz): a path, /usr/share/datasets/fashion-mnist, or a verified download`,
    defaults: {
      path: undefined,
      cacheDir: undefined,
      download: true,
      fetch: undefined,
      systemDir: undefined,
    },
    async load(options) {
      const paths = await locateFashionMnist({
        ...options,
        cacheDir: options.cacheDir ?? defaultCacheDir(),
      });
      return readFashionMnist(paths, options.onProgress);
    },
  },
  { replace: true },
);

import type { ProgressCallback } from '@trustgrad/core-tensor';
import { DatasetFormatError } from '../errors/dataset-errors';
import { gunzipIfGzip } from '../formats/gunzip-bytes';
import { parseIdx } from '../formats/idx';
import { memoryImageSource } from '../source/image-source';
import { DataSplit } from '../split/data-split';
import {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_FILES,
  FASHION_MNIST_FIX,
  type FashionMnistFileRole,
} from './fashion-mnist-files';

/** The bytes of one IDX file, gzipped or raw: a `fetch` response's `arrayBuffer()`, or a file read whole. */
export type IdxBytes = Uint8Array | ArrayBuffer;

/** The four Fashion-MNIST files' bytes, by role (see {@link FASHION_MNIST_FILES}). */
export type FashionMnistBytes = Readonly<Record<FashionMnistFileRole, IdxBytes>>;

/** One split's two files for {@link parseFashionMnistSplit}. */
export interface FashionMnistSplitBytes {
  /** Split name, e.g. `'train'` or `'test'`. */
  readonly name: string;
  readonly images: IdxBytes;
  readonly labels: IdxBytes;
  /** Names errors give the files (a path or URL). Default `'<name> images'`, `'<name> labels'`. */
  readonly imagesFile?: string;
  readonly labelsFile?: string;
}

const SIDE = 28;

/**
 * Parses one Fashion-MNIST split from the bytes of its images file (IDX, magic
 * 2051, `[n, 28, 28]`) and labels file (magic 2049, `[n]`, each 0..9), each
 * gzipped or raw (gunzipped with `DecompressionStream`). Runs in any host: a
 * browser passes what `fetch` gave, the Node loader what it read from disk.
 * Wrong magic, sizes or labels raise a {@link DatasetFormatError} naming the file.
 *
 * @example
 * const split = await parseFashionMnistSplit({
 *   name: 'test',
 *   images: await (await fetch('data/t10k-images-idx3-ubyte.gz')).arrayBuffer(),
 *   labels: await (await fetch('data/t10k-labels-idx1-ubyte.gz')).arrayBuffer(),
 * });
 */
export async function parseFashionMnistSplit(split: FashionMnistSplitBytes): Promise<DataSplit> {
  const imagesFile = split.imagesFile ?? `${split.name} images`;
  const labelsFile = split.labelsFile ?? `${split.name} labels`;
  const images = parseIdx(await gunzipIfGzip(asBytes(split.images), imagesFile), imagesFile, 3);
  const labels = parseIdx(await gunzipIfGzip(asBytes(split.labels), labelsFile), labelsFile, 1);
  const [count, h, w] = images.dims;
  if (h !== SIDE || w !== SIDE) {
    throw new DatasetFormatError(
      imagesFile,
      `holds ${h}x${w} images, expected 28x28 Fashion-MNIST images; is this another IDX dataset?`,
    );
  }
  if (labels.dims[0] !== count) {
    throw new DatasetFormatError(
      labelsFile,
      `holds ${labels.dims[0]} labels but ${imagesFile} holds ${count} images; expected one label per image — use the files of one release`,
    );
  }
  const bad = labels.data.findIndex((label) => label > 9);
  if (bad >= 0) {
    throw new DatasetFormatError(
      labelsFile,
      `label ${labels.data[bad]} at record ${bad} is outside 0..9; expected Fashion-MNIST labels — ${FASHION_MNIST_FIX}`,
    );
  }
  return new DataSplit({
    name: split.name,
    source: memoryImageSource({ imageShape: [SIDE, SIDE, 1], images: images.data }),
    labels: Int32Array.from(labels.data),
    classNames: FASHION_MNIST_CLASSES,
  });
}

/**
 * Parses the four Fashion-MNIST files (60 000 train / 10 000 test, 28×28×1 in
 * the official release) from their bytes into the `train` and `test` splits;
 * {@link parseFashionMnistSplit} for one split. Errors name the files by their
 * official names ({@link FASHION_MNIST_FILES}).
 */
export async function parseFashionMnist(
  bytes: FashionMnistBytes,
  onProgress?: ProgressCallback,
): Promise<{ train: DataSplit; test: DataSplit }> {
  const train = await parseFashionMnistSplit({
    name: 'train',
    images: bytes.trainImages,
    labels: bytes.trainLabels,
    imagesFile: FASHION_MNIST_FILES.trainImages,
    labelsFile: FASHION_MNIST_FILES.trainLabels,
  });
  onProgress?.({ stage: 'decode', done: 1, total: 2 });
  const test = await parseFashionMnistSplit({
    name: 'test',
    images: bytes.testImages,
    labels: bytes.testLabels,
    imagesFile: FASHION_MNIST_FILES.testImages,
    labelsFile: FASHION_MNIST_FILES.testLabels,
  });
  onProgress?.({ stage: 'decode', done: 2, total: 2 });
  return { train, test };
}

function asBytes(bytes: IdxBytes): Uint8Array {
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}

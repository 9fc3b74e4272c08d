import { constants, createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ProgressCallback } from '@trustgrad/core-tensor';
import { DatasetError, DatasetFormatError, DatasetNotFoundError } from '../errors/dataset-errors';
import { fileSystemError, isDirectory, readMaybeGzip } from '../formats/read-bytes';
import { readTarEntries } from '../formats/ustar';
import { defineDataset } from '../plugin/define-dataset';
import { memoryImageSource } from '../source/image-source';
import { DataSplit } from '../split/data-split';
import {
  CIFAR10_META_FILE,
  CIFAR10_TEST_FILE,
  CIFAR10_TRAIN_FILES,
  type CifarRecords,
  decodeCifarBatch,
  parseCifarMeta,
} from './cifar10-records';

/** Options of the `cifar10` dataset. */
export interface Cifar10Options {
  /**
   * The official binary version: the `cifar-10-batches-bin/` folder, a folder
   * containing it, or the `cifar-10-binary.tar.gz` archive itself (read
   * without unpacking).
   */
  readonly path?: string;
  readonly onProgress?: ProgressCallback;
}

const WANTED = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE, CIFAR10_META_FILE] as const;
const GET_IT =
  'download https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz and pass { path } to it (or to its unpacked cifar-10-batches-bin/ folder)';

interface CifarParts {
  batches: Map<string, CifarRecords>;
  classNames: string[];
}

async function readFolder(folder: string, onProgress?: ProgressCallback): Promise<CifarParts> {
  const batches = new Map<string, CifarRecords>();
  let classNames: string[] | null = null;
  for (const [k, name] of WANTED.entries()) {
    const file = join(folder, name);
    const bytes = await readMaybeGzip(
      file,
      `expected the official cifar-10-batches-bin/ folder; ${GET_IT}`,
    );
    if (name === CIFAR10_META_FILE)
      classNames = parseCifarMeta(new TextDecoder().decode(bytes), file);
    else batches.set(name, decodeCifarBatch(bytes, file));
    onProgress?.({ stage: 'read', done: k + 1, total: WANTED.length, file });
  }
  return { batches, classNames: classNames! };
}

async function readArchive(archive: string, onProgress?: ProgressCallback): Promise<CifarParts> {
  const batches = new Map<string, CifarRecords>();
  let classNames: string[] | null = null;
  const wanted = new Set<string>(WANTED);
  // pipeline forwards a read error of the file into the gunzip stream we iterate.
  const stream = pipeline(createReadStream(archive), createGunzip(), () => {});
  try {
    for await (const entry of readTarEntries(stream, archive, (name) =>
      wanted.has(basename(name)),
    )) {
      const name = basename(entry.name);
      const where = `${archive}:${entry.name}`;
      if (name === CIFAR10_META_FILE)
        classNames = parseCifarMeta(new TextDecoder().decode(entry.data), where);
      else batches.set(name, decodeCifarBatch(entry.data, where));
      onProgress?.({
        stage: 'read',
        done: batches.size + (classNames ? 1 : 0),
        total: WANTED.length,
        file: where,
      });
    }
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetFormatError(
      archive,
      `cannot be read as a gzipped tar archive (${(error as Error).message}); expected the complete cifar-10-binary.tar.gz — download it again`,
    );
  } finally {
    stream.destroy();
  }
  const missing = WANTED.filter((name) =>
    name === CIFAR10_META_FILE ? !classNames : !batches.has(name),
  );
  if (missing.length) {
    throw new DatasetNotFoundError(
      archive,
      `the archive lacks ${missing.join(', ')}; expected the official cifar-10-binary.tar.gz — ${GET_IT}`,
    );
  }
  return { batches, classNames: classNames! };
}

/** Reads the official binary CIFAR-10 from a folder or the .tar.gz (see {@link Cifar10Options.path}). */
export async function readCifar10(
  path: string,
  onProgress?: ProgressCallback,
): Promise<{ train: DataSplit; test: DataSplit; classNames: string[] }> {
  let parts: CifarParts;
  if (await isDirectory(path)) {
    const inner = join(path, 'cifar-10-batches-bin');
    parts = await readFolder((await isDirectory(inner)) ? inner : path, onProgress);
  } else {
    try {
      await access(path, constants.R_OK);
    } catch (error) {
      throw fileSystemError(path, error, GET_IT);
    }
    parts = await readArchive(path, onProgress);
  }
  const train = CIFAR10_TRAIN_FILES.map((name) => parts.batches.get(name)!);
  const test = parts.batches.get(CIFAR10_TEST_FILE)!;
  const split = (name: string, records: CifarRecords[]) =>
    new DataSplit({
      name,
      source: memoryImageSource({ imageShape: [32, 32, 3], images: records.map((r) => r.images) }),
      labels: Int32Array.from(records.flatMap((r) => [...r.labels])),
      classNames: parts.classNames,
    });
  return {
    train: split('train', train),
    test: split('test', [test]),
    classNames: parts.classNames,
  };
}

/**
 * CIFAR-10 (Krizhevsky 2009), official binary version: 50 000 train / 10 000
 * test 32×32×3 images in 10 classes. Held as NHWC bytes (184 MB for all
 * 60 000); floats are made per batch.
 */
export const cifar10 = defineDataset<Cifar10Options>(
  {
    name: 'cifar10',
    description: 'CIFAR-10 (Krizhevsky 2009): 60 000 32×32 colour images of 10 classes',
    classNames: [
      'airplane',
      'automobile',
      'bird',
      'cat',
      'deer',
      'dog',
      'frog',
      'horse',
      'ship',
      'truck',
    ],
    imageShape: [32, 32, 3],
    source:
      'binary version: cifar-10-batches-bin/ (data_batch_1..5.bin, test_batch.bin, batches.meta.txt) or cifar-10-binary.tar.gz',
    defaults: { path: undefined },
    async load(options) {
      if (options.path === undefined)
        throw new DatasetNotFoundError('(no path)', `CIFAR-10 needs its files; ${GET_IT}`);
      const { train, test } = await readCifar10(options.path, options.onProgress);
      return { train, test };
    },
  },
  { replace: true },
);

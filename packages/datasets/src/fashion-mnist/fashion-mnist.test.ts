import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../download/download-verified';
import {
  DatasetChecksumError,
  DatasetDownloadError,
  DatasetFormatError,
  DatasetNotFoundError,
  DatasetReadError,
} from '../errors/dataset-errors';
import { loadDataset } from '../plugin/load-dataset';
import { disposeBatch } from '../split/data-split';
import '../index';
import { idxBytes, pixelValue, tempDir, writeFashionMnist } from '../testing/fixtures';
import { DEBIAN_FASHION_MNIST_DIR } from './fashion-mnist-files';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const noNetwork = (() => Promise.reject(new TypeError('fetch failed'))) as unknown as typeof fetch;

describe('fashion-mnist from IDX files the tests write', () => {
  for (const gzip of [true, false]) {
    it(`reads ${gzip ? 'gzipped' : 'raw'} files: pixels / 255, labels, shapes`, async () => {
      const dir = tempDir('fmnist');
      const { trainLabels, testLabels } = writeFashionMnist(dir, { train: 7, test: 3, gzip });
      const data = await loadDataset('fashion-mnist', { path: dir });
      expect(data.train.length).toBe(7);
      expect(data.test.length).toBe(3);
      expect(data.imageShape).toEqual([28, 28, 1]);
      expect([...data.train.labels]).toEqual(trainLabels);
      expect([...data.test.labels]).toEqual(testLabels);
      const batch = await data.train.take(7);
      expect(batch.x.shape).toEqual([7, 28, 28, 1]);
      expect(batch.y.dtype).toBe('int32');
      const x = batch.x.dataSync();
      expect(x[0 * 784 + 5]).toBeCloseTo(pixelValue(0, 5) / 255, 6);
      expect(x[4 * 784 + 700]).toBeCloseTo(pixelValue(4, 700) / 255, 6);
      disposeBatch(batch);
    });
  }

  it('a user path without the files is an error, not a silent fallback to other data', async () => {
    const dir = tempDir('fmnist-empty');
    await expect(loadDataset('fashion-mnist', { path: dir })).rejects.toThrow(DatasetNotFoundError);
    await expect(loadDataset('fashion-mnist', { path: dir })).rejects.toThrow(
      /lacks train-images-idx3-ubyte\[\.gz\].*apt-get install dataset-fashion-mnist/,
    );
    await expect(loadDataset('fashion-mnist', { path: join(dir, 'nope') })).rejects.toThrow(
      /is not a folder/,
    );
  });

  it('labels file swapped for images: wrong magic, naming the file', async () => {
    const dir = tempDir('fmnist-magic');
    writeFashionMnist(dir, { train: 4, test: 2, gzip: false });
    writeFileSync(
      join(dir, 'train-images-idx3-ubyte'),
      readFileSync(join(dir, 'train-labels-idx1-ubyte')),
    );
    await expect(loadDataset('fashion-mnist', { path: dir })).rejects.toThrow(
      /train-images-idx3-ubyte: magic 2049, expected 2051/,
    );
  });

  it('a truncated gzip is a format error', async () => {
    const dir = tempDir('fmnist-trunc-gz');
    writeFashionMnist(dir, { train: 4, test: 2, gzip: true });
    const file = join(dir, 't10k-images-idx3-ubyte.gz');
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 30));
    const error = await loadDataset('fashion-mnist', { path: dir }).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect(error.message).toMatch(
      /t10k-images-idx3-ubyte\.gz: the gzip stream is corrupt or truncated/,
    );
    expect(error.file).toBe(file);
  });

  it('a truncated IDX (valid gzip) and a count mismatch between images and labels', async () => {
    const dir = tempDir('fmnist-trunc');
    writeFashionMnist(dir, { train: 4, test: 2, gzip: true });
    writeFileSync(
      join(dir, 'train-images-idx3-ubyte.gz'),
      gzipSync(idxBytes([4, 28, 28], new Uint8Array(3 * 784 + 100))),
    );
    await expect(loadDataset('fashion-mnist', { path: dir })).rejects.toThrow(
      /truncated: the header says 4 records of 28x28/,
    );
    writeFashionMnist(dir, { train: 4, test: 2, gzip: true });
    writeFileSync(
      join(dir, 'train-labels-idx1-ubyte.gz'),
      gzipSync(idxBytes([3], Uint8Array.of(1, 2, 3))),
    );
    await expect(loadDataset('fashion-mnist', { path: dir })).rejects.toThrow(
      /holds 3 labels but .* holds 4 images/,
    );
    writeFileSync(
      join(dir, 'train-labels-idx1-ubyte.gz'),
      gzipSync(idxBytes([4], Uint8Array.of(1, 2, 3, 12))),
    );
    await expect(loadDataset('fashion-mnist', { path: dir })).rejects.toThrow(
      /label 12 at record 3 is outside 0\.\.9/,
    );
    writeFileSync(
      join(dir, 'train-images-idx3-ubyte.gz'),
      gzipSync(idxBytes([4, 27, 28], new Uint8Array(4 * 27 * 28))),
    );
    await expect(loadDataset('fashion-mnist', { path: dir })).rejects.toThrow(
      /27x28 images, expected 28x28/,
    );
  });

  it('an unreadable path (a folder where the file should be) is a read error', async () => {
    const dir = tempDir('fmnist-dir');
    writeFashionMnist(dir, { train: 4, test: 2, gzip: false });
    mkdirSync(join(dir, 't10k-labels-idx1-ubyte.gz'));
    const error = await loadDataset('fashion-mnist', { path: dir }).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetReadError);
    expect(error.message).toMatch(/is a folder, expected a file/);
  });
});

describe('fashion-mnist download fallback (fetch mocked)', () => {
  it('with no local copy and no network, says to apt-get install or pass a path', async () => {
    const cacheDir = tempDir('fmnist-cache');
    const error = await loadDataset('fashion-mnist', {
      systemDir: join(cacheDir, 'none'),
      cacheDir,
      fetch: noNetwork,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetDownloadError);
    expect(error.message).toMatch(/fashion-mnist\.s3-website.*fetch failed/);
    expect(error.message).toMatch(/apt-get install dataset-fashion-mnist/);
    expect(existsSync(join(cacheDir, 'fashion-mnist', 'train-images-idx3-ubyte.gz'))).toBe(false);
  });

  it('a mirror serving other bytes fails the checksum and nothing is kept', async () => {
    const cacheDir = tempDir('fmnist-cache-sum');
    const wrong = (async () => new Response(new Uint8Array([1, 2, 3]))) as unknown as typeof fetch;
    const error = await loadDataset('fashion-mnist', {
      systemDir: join(cacheDir, 'none'),
      cacheDir,
      fetch: wrong,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(DatasetChecksumError);
    expect(error.message).toMatch(/SHA-256 039058c6.*expected 08dc20ab/);
    expect(existsSync(join(cacheDir, 'fashion-mnist', 'train-images-idx3-ubyte.gz'))).toBe(false);
  });

  it('download:false fails at once with the fix', async () => {
    const cacheDir = tempDir('fmnist-nodl');
    await expect(
      loadDataset('fashion-mnist', {
        systemDir: join(cacheDir, 'none'),
        cacheDir,
        download: false,
      }),
    ).rejects.toThrow(/downloading is off/);
  });

  it('a previous verified download in the cache is used before downloading', async () => {
    const cacheDir = tempDir('fmnist-cached');
    writeFashionMnist(join(cacheDir, 'fashion-mnist'), { train: 5, test: 2, gzip: true });
    const data = await loadDataset('fashion-mnist', {
      systemDir: join(cacheDir, 'none'),
      cacheDir,
      fetch: noNetwork,
    });
    expect(data.train.length).toBe(5);
  });
});

const haveDebian = existsSync(join(DEBIAN_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'));

describe.skipIf(!haveDebian)(
  `fashion-mnist, the real Debian files in ${DEBIAN_FASHION_MNIST_DIR}`,
  () => {
    it('loads 60 000 / 10 000 balanced examples with the known first labels', async () => {
      const progress: string[] = [];
      const data = await loadDataset('fashion-mnist', {
        onProgress: (p) => progress.push(p.stage),
      });
      expect(data.train.length).toBe(60000);
      expect(data.test.length).toBe(10000);
      expect(data.train.classCounts()).toEqual(new Array(10).fill(6000));
      expect(data.test.classCounts()).toEqual(new Array(10).fill(1000));
      // The first training image is an ankle boot, the first test image too (label 9).
      expect(data.train.labels[0]).toBe(9);
      expect(data.test.labels[0]).toBe(9);
      expect(progress).toContain('read');
      const before = tf.memory().numTensors;
      const batch = await data.train.take(2);
      const x = batch.x.dataSync();
      expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...x)).toBeLessThanOrEqual(1);
      expect(Math.max(...x)).toBeGreaterThan(0.9);
      disposeBatch(batch);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('the Debian .gz are recompressed (bytes differ from upstream), so the upstream SHA-256 applies only to downloads', () => {
      const bytes = readFileSync(join(DEBIAN_FASHION_MNIST_DIR, 'train-labels-idx1-ubyte.gz'));
      expect(sha256Hex(bytes)).not.toBe(
        'b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc',
      );
    });
  },
);

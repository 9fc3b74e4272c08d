import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@trustgrad/core-tensor';
import { bundleForBrowser } from '@trustgrad/tooling/browser-bundle';
import { beforeAll, describe, expect, it } from 'vitest';
import * as browserEntry from './browser';
import * as nodeEntry from './index';
import { idxBytes, pixelValue } from './testing/fixtures';

/** What reads files, downloads or decodes JPEGs: what the browser entry leaves out. */
const NODE_ONLY = [
  'BUILTIN_DATASETS',
  'cifar10',
  'defaultCacheDir',
  'downloadVerified',
  'fashionMnist',
  'fileRecordSource',
  'imagenette',
  'locateFashionMnist',
  'readCifar10',
  'readFashionMnist',
  'sha256Hex',
];

const bundle = (entry: string, external: string[] = []) =>
  bundleForBrowser(new URL(entry, import.meta.url), { external });

/** An IDX images file of `n` test images and its labels file, as `fetch` would give them. */
function fashionMnistFiles(n: number, offset: number): { images: Uint8Array; labels: Uint8Array } {
  const images = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++)
    for (let p = 0; p < 784; p++) images[i * 784 + p] = pixelValue(i + offset, p);
  const labels = Uint8Array.from({ length: n }, (_, i) => (i + offset) % 10);
  return { images: idxBytes([n, 28, 28], images), labels: idxBytes([n], labels) };
}

describe('the browser entry', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'cpu', log: () => {} });
  });

  it('bundles for the browser platform without any node: module, sharp or the file readers', async () => {
    const result = await bundle('./browser.ts');
    const inputs = Object.keys(result.metafile.inputs);
    expect(
      inputs.filter((path) => /^node:|sharp|read-bytes|imagenette\.ts$|cifar10\.ts$/.test(path)),
    ).toEqual([]);
    expect(inputs.some((path) => path.endsWith('fashion-mnist/parse-fashion-mnist.ts'))).toBe(true);
    expect(inputs.some((path) => path.endsWith('core-tensor/src/browser.ts'))).toBe(true);
    expect(inputs.some((path) => path.endsWith('core-tensor/src/index.ts'))).toBe(false);
  }, 60_000);

  it('the Node entry does not bundle for the browser (what the browser entry leaves out)', async () => {
    // sharp left out, so the errors are about this package's own node: imports.
    await expect(bundle('./index.ts', ['sharp'])).rejects.toThrow(
      /src\/.*Could not resolve "node:(fs|path|crypto|os|zlib|stream)/,
    );
  }, 60_000);

  it('exports the Node entry API minus exactly the file, download and JPEG parts', () => {
    const node = Object.keys(nodeEntry).sort();
    const browser = Object.keys(browserEntry).sort();
    expect(node.filter((name) => !browser.includes(name)).sort()).toEqual([...NODE_ONLY].sort());
    expect(browser.filter((name) => !node.includes(name))).toEqual([]);
    expect(browserEntry.parseFashionMnist).toBe(nodeEntry.parseFashionMnist);
    expect(browserEntry.DataSplit).toBe(nodeEntry.DataSplit);
  });

  it('parses Fashion-MNIST from bytes, gzipped (ArrayBuffer, as fetch gives) or raw (Uint8Array)', async () => {
    const train = fashionMnistFiles(5, 0);
    const test = fashionMnistFiles(3, 40);
    const gz = (bytes: Uint8Array) => {
      const zipped = gzipSync(bytes);
      return zipped.buffer.slice(zipped.byteOffset, zipped.byteOffset + zipped.byteLength);
    };
    const data = await browserEntry.parseFashionMnist({
      trainImages: gz(train.images),
      trainLabels: gz(train.labels),
      testImages: test.images,
      testLabels: test.labels,
    });
    expect(data.train.length).toBe(5);
    expect(data.test.length).toBe(3);
    expect([...data.test.labels]).toEqual([0, 1, 2]);
    expect(data.train.classNames[9]).toBe('Ankle boot');
    const before = tf.memory().numTensors;
    const batch = await data.test.take(3);
    expect(batch.x.shape).toEqual([3, 28, 28, 1]);
    const x = batch.x.dataSync();
    expect(x[2 * 784 + 100]).toBeCloseTo(pixelValue(42, 100) / 255, 6);
    browserEntry.disposeBatch(batch);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('bad bytes fail with a DatasetFormatError naming the file and the fix', async () => {
    const { images, labels } = fashionMnistFiles(2, 0);
    const split = (over: Partial<Parameters<typeof browserEntry.parseFashionMnistSplit>[0]>) =>
      browserEntry.parseFashionMnistSplit({ name: 'test', images, labels, ...over });
    await expect(split({ images: labels })).rejects.toThrow(
      /^test images: magic 2049, expected 2051 \(is this a labels file\?\)/,
    );
    const zipped = gzipSync(images);
    await expect(
      split({ images: zipped.subarray(0, zipped.length - 30), imagesFile: 'data/t10k.gz' }),
    ).rejects.toThrow(
      /^data\/t10k\.gz: the gzip stream is corrupt or truncated \(.*\); expected a complete \.gz file — download it again$/,
    );
    await expect(split({ labels: idxBytes([2], Uint8Array.of(3, 11)) })).rejects.toThrow(
      browserEntry.DatasetFormatError,
    );
    await expect(split({ labels: idxBytes([3], Uint8Array.of(3, 1, 2)) })).rejects.toThrow(
      /test labels: holds 3 labels but test images holds 2 images/,
    );
  });
});

import {
  DuplicatePluginError,
  InvalidOptionError,
  initBackend,
  UnknownPluginError,
} from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryImageSource } from '../source/image-source';
import { DataSplit } from '../split/data-split';
import type { DatasetPlugin } from './dataset';
import { datasetRegistry } from './dataset-registry';
import { defineDataset } from './define-dataset';
import { loadDataset } from './load-dataset';
import '../index';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const countingSpec: DatasetPlugin<{ n?: number }> = {
  name: 'counting',
  description: 'the numbers 0..n-1 as 1×1 images, labelled even or odd',
  imageShape: [1, 1, 1],
  classNames: ['even', 'odd'],
  source: 'generated',
  defaults: { n: 40 },
  async load(options) {
    const n = options.n ?? 40;
    const source = memoryImageSource({
      imageShape: [1, 1, 1],
      images: Uint8Array.from({ length: n }, (_, i) => i),
    });
    const split = (name: string) =>
      new DataSplit({
        name,
        source,
        labels: Int32Array.from({ length: n }, (_, i) => i % 2),
        classNames: ['even', 'odd'],
      });
    return {
      name: 'counting',
      classNames: ['even', 'odd'],
      imageShape: [1, 1, 1],
      range: [0, 1],
      train: split('train'),
      test: split('test'),
    };
  },
};

describe('dataset registry', () => {
  it('has the built-ins, and an unknown name lists the known ones', async () => {
    expect(datasetRegistry.names()).toEqual(
      expect.arrayContaining(['cifar10', 'fashion-mnist', 'imagenette', 'synthetic']),
    );
    const error = await loadDataset('mnist').catch((e) => e);
    expect(error).toBeInstanceOf(UnknownPluginError);
    expect(error.message).toMatch(
      /unknown dataset "mnist"; known datasets: .*cifar10, .*fashion-mnist/,
    );
  });

  it('a user plugin loads by name with the common options applied', async () => {
    const unregistered = defineDataset(countingSpec, { register: false });
    expect(Object.isFrozen(unregistered.defaults)).toBe(true);
    expect(datasetRegistry.has('counting')).toBe(false);
    defineDataset(countingSpec);
    expect(() => defineDataset(countingSpec)).toThrow(DuplicatePluginError);
    const data = await loadDataset('counting', {
      n: 40,
      validation: 0.2,
      limit: { train: 20, test: 6 },
      seed: 1,
    });
    expect(data.validation!.length).toBe(4);
    expect(data.train.length).toBe(16);
    expect(data.test.length).toBe(6);
    expect(data.train.classCounts()).toEqual([8, 8]);
    expect(data.validation!.classCounts()).toEqual([2, 2]);
    const odd = await loadDataset('counting', { classes: ['odd'], remapLabels: true });
    expect(odd.classNames).toEqual(['odd']);
    expect(odd.train.length).toBe(20);
    expect(() => defineDataset({ ...countingSpec, name: 'Bad Name' })).toThrow(/kebab-case/);
    await expect(loadDataset('counting', { limt: 10 })).rejects.toThrow(InvalidOptionError);
    await expect(loadDataset('counting', { limt: 10 })).rejects.toThrow(
      /loadDataset\("counting"\) has no option "limt" \(did you mean "limit"\?\); its options are classes, limit, n, onProgress/,
    );
    datasetRegistry.unregister('counting');
  });
});

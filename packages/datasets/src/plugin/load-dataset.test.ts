import { DuplicatePluginError, initBackend, UnknownPluginError } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataSplit } from '../core/data-split';
import { memoryImageSource } from '../core/image-source';
import { datasetRegistry, registerDataset } from './dataset-registry';
import { defineDataset } from './define-dataset';
import { loadDataset } from './load-dataset';
import '../index';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const counting = defineDataset<{ n?: number }>({
  name: 'counting',
  describe: () => ({
    title: 'Counting',
    imageShape: [1, 1, 1],
    classNames: ['even', 'odd'],
    source: 'generated',
  }),
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
});

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
    registerDataset(counting);
    expect(() => registerDataset(counting)).toThrow(DuplicatePluginError);
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
    expect(() =>
      defineDataset({ name: 'Bad Name', load: counting.load, describe: counting.describe }),
    ).toThrow(/lower-case/);
    datasetRegistry.unregister('counting');
  });
});

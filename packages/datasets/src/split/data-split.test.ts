import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryImageSource } from '../source/image-source';
import type { Batch } from './batch';
import { DataSplit, disposeBatch } from './data-split';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

/** n images of 4×5×2 where every value of image i is i/255 + channel·0 except pixel (y, x, c) = (i + 10y + 2x + c) / 255. */
function makeSplit(n: number, classes = 3, masks = false): DataSplit {
  const h = 4;
  const w = 5;
  const c = 2;
  const images = new Uint8Array(n * h * w * c);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++) {
          images[((i * h + y) * w + x) * c + ch] = (i + 10 * y + 2 * x + ch) % 256;
        }
  const maskBytes = masks
    ? Uint8Array.from({ length: n * h * w }, (_, k) => (k % w === 0 ? 1 : 0))
    : undefined;
  return new DataSplit({
    name: 'train',
    source: memoryImageSource({ imageShape: [h, w, c], images, masks: maskBytes }),
    labels: Int32Array.from({ length: n }, (_, i) => i % classes),
    classNames: Array.from({ length: classes }, (_, k) => `c${k}`),
  });
}

async function collect(
  split: DataSplit,
  options: Parameters<DataSplit['batches']>[0],
): Promise<{ indices: number[]; x: Float32Array[]; sizes: number[]; masks: Float32Array[] }> {
  const out = {
    indices: [] as number[],
    x: [] as Float32Array[],
    sizes: [] as number[],
    masks: [] as Float32Array[],
  };
  for await (const batch of split.batches(options)) {
    out.indices.push(...batch.indices);
    out.x.push(batch.x.dataSync() as Float32Array);
    if (batch.mask) out.masks.push(batch.mask.dataSync() as Float32Array);
    out.sizes.push(batch.x.shape[0]);
    expect([...batch.y.dataSync()]).toEqual([...batch.labels]);
    disposeBatch(batch);
  }
  return out;
}

describe('DataSplit.batches', () => {
  it('in order: every example once, last batch short, labels match; no tensors leak', async () => {
    const split = makeSplit(10);
    const before = tf.memory().numTensors;
    const { indices, sizes, x } = await collect(split, { batchSize: 4 });
    expect(indices).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sizes).toEqual([4, 4, 2]);
    expect(x[0][(1 * 20 + 2 * 5 + 3) * 2 + 1]).toBeCloseTo((1 + 20 + 6 + 1) / 255, 6);
    expect(tf.memory().numTensors).toBe(before);
    expect((await collect(split, { batchSize: 4, dropLast: true })).sizes).toEqual([4, 4]);
    expect((await collect(split, { batchSize: 4, drop_last: true })).sizes).toEqual([4, 4]);
  });

  it('shuffle is a seeded permutation: same seed same order, other seed or epoch another', async () => {
    const split = makeSplit(50);
    const a = (await collect(split, { batchSize: 8, shuffle: true, seed: 3 })).indices;
    const b = (await collect(split, { batchSize: 8, shuffle: true, seed: 3, prefetch: 0 })).indices;
    const c = (await collect(split, { batchSize: 8, shuffle: true, seed: 4 })).indices;
    const d = (await collect(split, { batchSize: 8, shuffle: true, seed: 3, epoch: 1 })).indices;
    expect(a).toEqual(b);
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(d);
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('augmentation is a zero-filled shift and/or mirror of the image, the same for its mask, fixed by the seed', async () => {
    const split = makeSplit(12, 3, true);
    const plain = await collect(split, { batchSize: 12 });
    const aug = await collect(split, {
      batchSize: 12,
      augment: { cropPadding: 1, flip: true },
      seed: 9,
    });
    const again = await collect(split, {
      batchSize: 12,
      augment: { cropPadding: 1, flip: true },
      seed: 9,
      prefetch: 0,
    });
    expect(aug.x[0]).toEqual(again.x[0]);
    const [h, w, c] = [4, 5, 2];
    let changed = 0;
    for (let i = 0; i < 12; i++) {
      const src = plain.x[0].subarray(i * 40, (i + 1) * 40);
      const out = aug.x[0].subarray(i * 40, (i + 1) * 40);
      const srcMask = plain.masks[0].subarray(i * 20, (i + 1) * 20);
      const outMask = aug.masks[0].subarray(i * 20, (i + 1) * 20);
      // Find the (dy, dx, flip) that explains the output exactly.
      let explained = false;
      for (const flip of [false, true])
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            let ok = true;
            for (let y = 0; y < h && ok; y++)
              for (let x = 0; x < w && ok; x++) {
                const sy = y + dy;
                const sx = (flip ? w - 1 - x : x) + dx;
                const inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                for (let ch = 0; ch < c; ch++) {
                  const expected = inside ? src[(sy * w + sx) * c + ch] : 0;
                  if (Math.abs(out[(y * w + x) * c + ch] - expected) > 1e-7) ok = false;
                }
                const expectedMask = inside ? srcMask[sy * w + sx] : 0;
                if (outMask[y * w + x] !== expectedMask) ok = false;
              }
            if (ok) explained = true;
          }
      expect(explained).toBe(true);
      if (out.some((v, k) => v !== src[k])) changed++;
    }
    expect(changed).toBeGreaterThan(6);
  });

  it('normalisation is (x − mean[c]) / std[c] after augmentation', async () => {
    const split = makeSplit(3);
    const raw = (await collect(split, { batchSize: 3 })).x[0];
    const norm = (
      await collect(split, { batchSize: 3, normalize: { mean: [0.5, 0.25], std: [2, 0.5] } })
    ).x[0];
    for (let k = 0; k < raw.length; k++) {
      const ch = k % 2;
      expect(norm[k]).toBeCloseTo((raw[k] - [0.5, 0.25][ch]) / [2, 0.5][ch], 5);
    }
    expect(() => split.batches({ batchSize: 2, normalize: { mean: [0.5], std: 1 } })).toThrow(
      /one per channel \(2\)/,
    );
    expect(() => split.batches({ batchSize: 2, normalize: { mean: 0, std: 0 } })).toThrow(
      /std must be > 0/,
    );
    expect(() => split.batches({ batchSize: 0 })).toThrow(/positive integer/);
  });

  it('a consumer that stops early leaks nothing', async () => {
    const split = makeSplit(40);
    const before = tf.memory().numTensors;
    for await (const batch of split.batches({ batchSize: 4, prefetch: 3 })) {
      disposeBatch(batch);
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('DataSplit subsets and splits', () => {
  it('stratified limit keeps class shares and is seeded; unstratified keeps the first n', () => {
    const labels = Int32Array.from([
      ...new Array(60).fill(0),
      ...new Array(30).fill(1),
      ...new Array(10).fill(2),
    ]);
    const split = new DataSplit({
      name: 't',
      source: memoryImageSource({ imageShape: [1, 1, 1], images: new Uint8Array(100) }),
      labels,
      classNames: ['a', 'b', 'c'],
    });
    const s = split.subset({ limit: 20, seed: 1 });
    expect(s.classCounts()).toEqual([12, 6, 2]);
    expect(split.subset({ limit: 20, seed: 1 }).labels).toEqual(s.labels);
    const picks = (seed: number) => [...split.subset({ limit: 20, seed }).select([0, 1, 2]).labels];
    expect(picks(1)).toEqual(picks(1));
    expect(split.subset({ limit: 5, stratified: false }).classCounts()).toEqual([5, 0, 0]);
    expect(split.subset({ classes: ['c', 1] }).classCounts()).toEqual([0, 30, 10]);
    const remapped = split.subset({ classes: ['c', 'b'], remapLabels: true });
    expect(remapped.classNames).toEqual(['b', 'c']);
    expect(remapped.classCounts()).toEqual([30, 10]);
    expect(() => split.subset({ classes: ['zebra'] })).toThrow(
      /unknown class "zebra"; expected an index 0\.\.2 or one of: a, b, c/,
    );
    expect(() => split.subset({ limit: 0 })).toThrow(/positive integer/);
  });

  it('validation split: disjoint, covering, stratified, seeded', () => {
    const split = makeSplit(30, 3);
    const { train, validation } = split.splitValidation({ fraction: 0.2, seed: 5 });
    expect(train.length + validation.length).toBe(30);
    expect(validation.classCounts()).toEqual([2, 2, 2]);
    expect(validation.name).toBe('validation');
    const again = split.splitValidation({ fraction: 0.2, seed: 5 });
    expect(again.validation.labels).toEqual(validation.labels);
    expect(() => split.splitValidation({ fraction: 1.5 })).toThrow(/fraction must be in \(0, 1\)/);
    expect(() => split.splitValidation({})).toThrow(/pass \{ fraction \} or \{ size \}/);
  });

  it('validation and train together hold each example exactly once', async () => {
    const split = makeSplit(30, 3);
    const { train, validation } = split.splitValidation({ size: 7, seed: 2, stratified: false });
    const firstPixel = async (s: DataSplit) => {
      const b: Batch = await s.take(s.length);
      const x = b.x.dataSync();
      disposeBatch(b);
      return Array.from({ length: s.length }, (_, i) => Math.round(x[i * 40] * 255));
    };
    const all = [...(await firstPixel(train)), ...(await firstPixel(validation))].sort(
      (a, b) => a - b,
    );
    expect(all).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });
});

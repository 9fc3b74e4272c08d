import { initBackend } from '@trustgrad/core-tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../plugin/load-dataset';
import { disposeBatch } from '../split/data-split';
import '../index';
import { SYNTHETIC_SHAPES } from './shapes';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('synthetic ground truth', () => {
  for (const [size, channels, background] of [
    [28, 1, 'texture'],
    [64, 3, 'noise'],
  ] as const) {
    it(`${size}px, ${channels} channel(s), ${background}: the mask marks exactly the shape's pixels`, async () => {
      const data = await loadDataset('synthetic', {
        imageSize: size,
        channels,
        background,
        trainSize: 40,
        testSize: 10,
        seed: 1,
      });
      expect(data.imageShape).toEqual([size, size, channels]);
      expect(data.train.hasMasks).toBe(true);
      expect(data.train.classCounts()).toEqual(new Array(10).fill(4));
      const batch = await data.train.take(40);
      expect(batch.mask!.shape).toEqual([40, size, size, 1]);
      const x = batch.x.dataSync();
      const m = batch.mask!.dataSync();
      const shapeSize = Math.round(0.3 * size);
      let violations = 0;
      for (let i = 0; i < 40; i++) {
        let area = 0;
        for (let p = 0; p < size * size; p++) {
          const inMask = m[i * size * size + p] === 1;
          area += inMask ? 1 : 0;
          for (let c = 0; c < channels; c++) {
            const v = x[(i * size * size + p) * channels + c];
            // Shape pixels are ≥ 0.7, background ≤ 0.55: the mask is exactly the bright region.
            if (inMask ? v < 0.69 : v > 0.56) violations++;
          }
        }
        expect(area).toBeGreaterThan(0.15 * shapeSize * shapeSize);
        expect(area).toBeLessThanOrEqual(shapeSize * shapeSize);
      }
      expect(violations).toBe(0);
      disposeBatch(batch);
    });
  }

  it('is deterministic under its seed and differs between seeds and splits', async () => {
    const first = async (seed: number, which: 'train' | 'test') => {
      const data = await loadDataset('synthetic', { trainSize: 5, testSize: 5, seed });
      const b = await data[which].take(1);
      const x = [...b.x.dataSync()];
      disposeBatch(b);
      return x;
    };
    expect(await first(2, 'train')).toEqual(await first(2, 'train'));
    expect(await first(2, 'train')).not.toEqual(await first(3, 'train'));
    expect(await first(2, 'train')).not.toEqual(await first(2, 'test'));
  });

  it("'box' masks are the shape's full square; options are checked", async () => {
    const data = await loadDataset('synthetic', {
      imageSize: 30,
      trainSize: 3,
      testSize: 1,
      mask: 'box',
      numClasses: 3,
      shapeSize: 9,
    });
    expect(data.classNames).toEqual(SYNTHETIC_SHAPES.slice(0, 3).map((s) => s.name));
    const b = await data.train.take(3);
    const m = b.mask!.dataSync() as Float32Array;
    for (let i = 0; i < 3; i++)
      expect(m.subarray(i * 900, (i + 1) * 900).reduce((a: number, v: number) => a + v, 0)).toBe(
        81,
      );
    disposeBatch(b);
    await expect(loadDataset('synthetic', { imageSize: 27 })).rejects.toThrow(
      /imageSize must be an integer in 28\.\.64, got 27/,
    );
    await expect(loadDataset('synthetic', { numClasses: 11 })).rejects.toThrow(
      /numClasses must be an integer in 2\.\.10/,
    );
  });

  it('shapes are different forms: no two classes rasterise to the same pattern', () => {
    const patterns = SYNTHETIC_SHAPES.map((shape) => {
      let bits = '';
      for (let dy = 0; dy < 10; dy++)
        for (let dx = 0; dx < 10; dx++)
          bits += shape.contains(((dx + 0.5) / 10) * 2 - 1, ((dy + 0.5) / 10) * 2 - 1) ? '1' : '0';
      return bits;
    });
    expect(new Set(patterns).size).toBe(SYNTHETIC_SHAPES.length);
  });
});

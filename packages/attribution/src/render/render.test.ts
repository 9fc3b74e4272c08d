import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@trustgrad/core-tensor';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { colormap } from './colormaps';
import { renderGrid } from './render-grid';
import { heatmapRgb, renderHeatmap } from './render-heatmap';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const close = (a: number[], b: number[], tol: number) =>
  a.every((v, i) => Math.abs(v - b[i]) < tol);

describe('colormaps', () => {
  it('match matplotlib at known points', () => {
    expect(close(colormap('viridis', 0), [0.267004, 0.004874, 0.329415], 0.02)).toBe(true);
    expect(close(colormap('viridis', 0.5), [0.127568, 0.566949, 0.550556], 0.02)).toBe(true);
    expect(close(colormap('viridis', 1), [0.993248, 0.906157, 0.143936], 0.02)).toBe(true);
    expect(close(colormap('inferno', 0), [0.001462, 0.000466, 0.013866], 0.02)).toBe(true);
    expect(close(colormap('inferno', 1), [0.988362, 0.998364, 0.644924], 0.02)).toBe(true);
    // cividis at matplotlib entries between the table's anchors (8, 48, 133 of 256) and at both ends.
    expect(close(colormap('cividis', 8 / 255), [0, 0.157932, 0.357521], 0.005)).toBe(true);
    expect(close(colormap('cividis', 48 / 255), [0.195057, 0.264372, 0.425924], 0.015)).toBe(true);
    expect(close(colormap('cividis', 133 / 255), [0.506866, 0.499743, 0.472432], 0.005)).toBe(true);
    expect(colormap('cividis', 0)).toEqual([0, 0.135112, 0.304751]);
    expect(colormap('cividis', 1)).toEqual([0.995737, 0.909344, 0.217772]);
    expect(colormap('seismic', 0.5)).toEqual([1, 1, 1]);
    expect(colormap('seismic', 0)).toEqual([0, 0, 0.3]);
    expect(colormap('seismic', 1)).toEqual([0.5, 0, 0]);
  });
});

describe('renderHeatmap and renderGrid', () => {
  it('encodes a PNG of the right size, upscaled, whose brightest pixel is the largest |attribution|', async () => {
    const attr = tf.tensor2d([
      [0, 0.1, 0],
      [0, 0, -1],
    ]);
    const png = await renderHeatmap(attr, { scale: 4, percentile: 100 });
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.format]).toEqual([12, 8, 'raw']);
    const at = (x: number, y: number) =>
      Array.from(data.subarray((y * 12 + x) * 3, (y * 12 + x) * 3 + 3));
    const yellow = colormap('viridis', 1).map((v) => Math.round(v * 255));
    expect(at(9, 5)).toEqual(yellow); // pixel (1, 2) = |−1|, the maximum
  });

  it('seismic keeps the sign (red positive, blue negative, white zero); overlay with alpha 0 is the image', () => {
    const attr = tf.tensor2d([[1, 0, -1]]);
    const rgb = heatmapRgb(attr, { colormap: 'seismic', percentile: 100 });
    expect(Array.from(rgb.data)).toEqual([128, 0, 0, 255, 255, 255, 0, 0, 77]);
    const image = tf.tensor3d([[[0.2], [0.4], [1]]]);
    const over = heatmapRgb(attr, { overlay: image, alpha: 0 });
    expect(Array.from(over.data)).toEqual([51, 51, 51, 102, 102, 102, 255, 255, 255]);
    expect(() => heatmapRgb(attr, { overlay: tf.zeros([2, 2, 1]) })).toThrow(
      /overlay is 2×2 but the map is 1×3/,
    );
    expect(() => heatmapRgb(tf.zeros([2, 2, 2, 1]))).toThrow(/renderGrid/);
  });

  it('lays a batch out as a grid with gaps', async () => {
    const maps = tf.randomUniform([5, 4, 6, 3], -1, 1, 'float32', 1);
    const images = tf.randomUniform([5, 4, 6, 3], 0, 1, 'float32', 2);
    const png = await renderGrid(maps, {
      images,
      columns: 3,
      gap: 1,
      scale: 2,
      colormap: 'inferno',
    });
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height]).toEqual([(3 * 6 + 2) * 2, (2 * 4 + 1) * 2]);
    tf.dispose([maps, images]);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeError } from '@trustgrad/core-tensor';
import { encodePng, type HeatmapOptions, heatmapRgb, type RgbImage } from './render-heatmap';

/** Options of {@link renderGrid}: the heatmap options (overlay excluded) plus the layout. */
export interface GridOptions extends Omit<HeatmapOptions, 'overlay'> {
  /** Images `[b, h, w, c]` in [0, 1] drawn under the maps, one per map. */
  images?: tf.Tensor;
  /** Tiles per row. Default `min(b, 8)`. */
  columns?: number;
  /** Pixels (before `scale`) of white between tiles. Default 1. */
  gap?: number;
}

/**
 * Draws a batch of maps `[b, h, w, c]` as one PNG grid of heatmaps, row by row,
 * each map scaled on its own (see {@link renderHeatmap}).
 *
 * @example
 * await writeFile('grid.png', await renderGrid(maps, { images: x, columns: 8, scale: 4 }));
 */
export async function renderGrid(
  attributions: tf.Tensor,
  options: GridOptions = {},
): Promise<Buffer> {
  if (attributions.rank !== 4) {
    throw new ShapeError(
      `renderGrid needs a batch of maps [b, h, w, c], got shape [${attributions.shape.join(', ')}]`,
    );
  }
  const { images, gap = 1, scale = 1, ...heatmap } = options;
  const [b, h, w] = attributions.shape;
  if (images && images.shape[0] !== b) {
    throw new ShapeError(
      `images has ${images.shape[0]} samples but there are ${b} maps; give one image per map`,
    );
  }
  const columns = options.columns ?? Math.min(b, 8);
  if (!Number.isInteger(columns) || columns < 1)
    throw new InvalidOptionError(`columns must be a positive integer, got ${columns}`);
  if (!Number.isInteger(gap) || gap < 0)
    throw new InvalidOptionError(`gap must be a non-negative integer, got ${gap}`);
  const rows = Math.ceil(b / columns);
  const width = columns * w + (columns - 1) * gap;
  const height = rows * h + (rows - 1) * gap;
  const grid: RgbImage = { width, height, data: new Uint8Array(width * height * 3).fill(255) };
  for (let i = 0; i < b; i++) {
    const map = tf.slice(attributions, i, 1);
    const image = images ? tf.slice(images, i, 1) : undefined;
    try {
      const tile = heatmapRgb(map, { ...heatmap, overlay: image });
      const top = Math.floor(i / columns) * (h + gap);
      const left = (i % columns) * (w + gap);
      for (let y = 0; y < h; y++) {
        const from = y * w * 3;
        grid.data.set(tile.data.subarray(from, from + w * 3), ((top + y) * width + left) * 3);
      }
    } finally {
      map.dispose();
      image?.dispose();
    }
  }
  return encodePng(grid, scale);
}

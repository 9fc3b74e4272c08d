import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, ShapeError } from '@trustgrad/core-tensor';
import { percentile } from '../postprocess/clip-percentile';
import { type ChannelReduction, reduceChannels } from '../postprocess/reduce-channels';
import { type ColormapName, colormap, isDiverging } from './colormaps';
import { loadSharp } from './load-sharp';

/** Options of {@link renderHeatmap} and {@link renderGrid}. */
export interface HeatmapOptions {
  /** Colormap. Default `'viridis'`; `'seismic'` is diverging (blue < 0 < red) for signed maps. */
  colormap?: ColormapName;
  /** How channels fold into one value per pixel. Default `'abs-sum'` (`'sum'` for seismic, to keep the sign). */
  reduce?: ChannelReduction;
  /** Values above this percentile of |map| saturate the colormap. Default 99.5. */
  percentile?: number;
  /** Image `[h, w, c]` or `[1, h, w, c]` with values in [0, 1] (c = 1 or 3) to draw under the heatmap. */
  overlay?: tf.Tensor;
  /** Heatmap opacity over `overlay`, in [0, 1]. Default 0.5. */
  alpha?: number;
  /** Integer upscaling (nearest neighbour), e.g. 8 to make a 28×28 map legible. Default 1. */
  scale?: number;
}

/** One RGB picture, 8 bits per channel, row-major. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Draws one attribution map as a PNG heatmap (optionally over its image).
 * `attributions` is `[h, w]`, `[h, w, c]` or `[1, h, w, c]`. Sequential
 * colormaps show `|map| / P(|map|)` in [0, 1]; the diverging `'seismic'` shows
 * `map / P(|map|)` in [−1, 1] with white at 0 (P = the `percentile`-th
 * percentile of |map|).
 *
 * @example
 * await writeFile('ig.png', await renderHeatmap(tf.slice(ig, 0, 1), { overlay: tf.slice(x, 0, 1), scale: 8 }));
 */
export async function renderHeatmap(
  attributions: tf.Tensor,
  options: HeatmapOptions = {},
): Promise<Buffer> {
  return encodePng(heatmapRgb(attributions, options), options.scale ?? 1);
}

/** The RGB pixels of {@link renderHeatmap} before PNG encoding (no upscaling). */
export function heatmapRgb(attributions: tf.Tensor, options: HeatmapOptions = {}): RgbImage {
  const name = options.colormap ?? 'viridis';
  colormap(name, 0); // fails early on an unknown colormap
  const diverging = isDiverging(name);
  const alpha = options.alpha ?? 0.5;
  if (!(alpha >= 0 && alpha <= 1))
    throw new InvalidOptionError(`alpha must be in [0, 1], got ${alpha}`);
  const map4 = toSingleMap(attributions, 'attributions');
  const [, height, width] = map4.shape;
  const values = tf.tidy(() => {
    const reduced = reduceChannels(map4, options.reduce ?? (diverging ? 'sum' : 'abs-sum'));
    const flat = tf.reshape(reduced, [1, -1]);
    const scale = tf.maximum(percentile(tf.abs(flat), options.percentile ?? 99.5), 1e-30);
    const scaled = tf.div(diverging ? flat : tf.abs(flat), scale);
    // Sequential: |a|/P ∈ [0, 1]. Diverging: a/P ∈ [−1, 1] → [0, 1], 0 at the centre.
    return diverging ? tf.div(tf.add(scaled, 1), 2) : scaled;
  });
  const v = values.dataSync();
  values.dispose();
  let image: Float32Array | undefined;
  let imageChannels = 0;
  if (options.overlay) {
    const img = toSingleMap(options.overlay, 'overlay');
    if (img.shape[1] !== height || img.shape[2] !== width) {
      img.dispose();
      map4.dispose();
      throw new ShapeError(
        `overlay is ${img.shape[1]}×${img.shape[2]} but the map is ${height}×${width}; they must match`,
      );
    }
    imageChannels = img.shape[3];
    if (imageChannels !== 1 && imageChannels !== 3) {
      img.dispose();
      map4.dispose();
      throw new ShapeError(`overlay has ${imageChannels} channels, expected 1 (grey) or 3 (RGB)`);
    }
    image = img.dataSync() as Float32Array;
    img.dispose();
  }
  map4.dispose();
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const colour = colormap(name, v[p]);
    for (let c = 0; c < 3; c++) {
      let out = colour[c];
      if (image) {
        const under = Math.min(
          1,
          Math.max(0, image[p * imageChannels + (imageChannels === 3 ? c : 0)]),
        );
        out = (1 - alpha) * under + alpha * colour[c];
      }
      data[p * 3 + c] = Math.round(out * 255);
    }
  }
  return { width, height, data };
}

/** Encodes RGB pixels as PNG, upscaled by an integer factor with nearest-neighbour. */
export async function encodePng(image: RgbImage, scale = 1): Promise<Buffer> {
  if (!Number.isInteger(scale) || scale < 1)
    throw new InvalidOptionError(`scale must be a positive integer, got ${scale}`);
  const sharp = await loadSharp();
  let pipeline = sharp(Buffer.from(image.data), {
    raw: { width: image.width, height: image.height, channels: 3 },
  });
  if (scale > 1)
    pipeline = pipeline.resize(image.width * scale, image.height * scale, { kernel: 'nearest' });
  return pipeline.png().toBuffer();
}

/** Accepts `[h, w]`, `[h, w, c]` or `[1, h, w, c]`; returns a new `[1, h, w, c]` tensor. */
function toSingleMap(t: tf.Tensor, name: string): tf.Tensor4D {
  return tf.tidy(() => {
    if (t.rank === 2)
      return tf.reshape(t, [1, t.shape[0] as number, t.shape[1] as number, 1]) as tf.Tensor4D;
    if (t.rank === 3) return tf.expandDims(t, 0) as tf.Tensor4D;
    if (t.rank === 4 && t.shape[0] === 1) return t.clone() as tf.Tensor4D;
    throw new ShapeError(
      `${name} has shape [${t.shape.join(', ')}], expected one map [h, w], [h, w, c] or [1, h, w, c]; ` +
        'use renderGrid for a batch or slice one sample with tf.slice(x, i, 1)',
    );
  });
}

import type { ProgressCallback } from '@trustgrad/core-tensor';
import { InvalidOptionError, type SeededRandom } from '@trustgrad/core-tensor';
import { defineDataset } from '../plugin/define-dataset';
import { rngFor } from '../random/rng-for';
import type { ImageShape } from '../source/image-shape';
import { memoryImageSource } from '../source/image-source';
import { DataSplit } from '../split/data-split';
import { SYNTHETIC_SHAPES } from './shapes';

/** Options of the `synthetic` ground-truth dataset. */
export interface SyntheticOptions {
  /** Image side, 28..64. Default 32. */
  readonly imageSize?: number;
  /** 1 (grey) or 3 (colour). Default 1. */
  readonly channels?: 1 | 3;
  /** Number of classes, 2..10 (the first k of {@link SYNTHETIC_SHAPES}). Default 10. */
  readonly numClasses?: number;
  /** Train examples. Default 5000. */
  readonly trainSize?: number;
  /** Test examples. Default 1000. */
  readonly testSize?: number;
  /** Side of the shape's square in pixels. Default `round(0.3 · imageSize)`. */
  readonly shapeSize?: number;
  /** `'texture'` (random gratings + noise) or `'noise'` (uniform noise). Default `'texture'`. */
  readonly background?: 'texture' | 'noise';
  /** Mask of the shape's own pixels (`'shape'`) or of its bounding square (`'box'`). Default `'shape'`. */
  readonly mask?: 'shape' | 'box';
  /** Seed of everything random. Default 0. */
  readonly seed?: number;
  readonly onProgress?: ProgressCallback;
}

interface Settings {
  size: number;
  channels: number;
  numClasses: number;
  shapeSize: number;
  background: 'texture' | 'noise';
  mask: 'shape' | 'box';
}

/** Background in [0, 0.55] so the shape (≥ 0.7) stands out by form, not only by level. */
function paintBackground(image: Float32Array, s: Settings, rng: SeededRandom): void {
  const { size, channels } = s;
  if (s.background === 'noise') {
    for (let i = 0; i < image.length; i++) image[i] = 0.55 * rng.uniform();
    return;
  }
  const gratings = Array.from({ length: 3 }, () => ({
    angle: rng.uniform() * Math.PI,
    frequency: (2 + rng.uniform() * 6) / size,
    phase: rng.uniform() * 2 * Math.PI,
    tint: Array.from({ length: channels }, () => 0.5 + 0.5 * rng.uniform()),
  }));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < channels; c++) {
        let value = 0;
        for (const g of gratings) {
          const t =
            (x * Math.cos(g.angle) + y * Math.sin(g.angle)) * g.frequency * 2 * Math.PI + g.phase;
          value += g.tint[c] * (0.5 + 0.5 * Math.sin(t));
        }
        image[(y * size + x) * channels + c] = 0.4 * (value / 3) + 0.15 * rng.uniform();
      }
    }
  }
}

/** Draws one example into `image` (floats) and `mask`; returns nothing, the label is given. */
function drawExample(
  image: Float32Array,
  mask: Uint8Array,
  label: number,
  s: Settings,
  rng: SeededRandom,
): void {
  paintBackground(image, s, rng);
  const { size, channels, shapeSize } = s;
  const top = rng.int(size - shapeSize + 1);
  const left = rng.int(size - shapeSize + 1);
  const colour = Array.from({ length: channels }, () => 0.7 + 0.3 * rng.uniform());
  const shape = SYNTHETIC_SHAPES[label];
  for (let dy = 0; dy < shapeSize; dy++) {
    for (let dx = 0; dx < shapeSize; dx++) {
      // Pixel centres mapped to [-1, 1]².
      const u = ((dx + 0.5) / shapeSize) * 2 - 1;
      const v = ((dy + 0.5) / shapeSize) * 2 - 1;
      const p = (top + dy) * size + (left + dx);
      if (s.mask === 'box') mask[p] = 1;
      if (!shape.contains(u, v)) continue;
      if (s.mask === 'shape') mask[p] = 1;
      for (let c = 0; c < channels; c++) image[p * channels + c] = colour[c];
    }
  }
}

function generateSplit(
  name: string,
  count: number,
  s: Settings,
  seed: number,
  onProgress?: ProgressCallback,
): DataSplit {
  const imageSize = s.size * s.size * s.channels;
  const images = new Uint8Array(count * imageSize);
  const masks = new Uint8Array(count * s.size * s.size);
  const labels = new Int32Array(count);
  // Balanced classes in a seeded order.
  const order = rngFor(seed, name === 'train' ? 1 : 2, 0x1abe1).permutation(count);
  for (let i = 0; i < count; i++) labels[order[i]] = i % s.numClasses;
  const scratch = new Float32Array(imageSize);
  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, name === 'train' ? 1 : 2, i);
    drawExample(
      scratch,
      masks.subarray(i * s.size * s.size, (i + 1) * s.size * s.size),
      labels[i],
      s,
      rng,
    );
    for (let k = 0; k < imageSize; k++)
      images[i * imageSize + k] = Math.round(Math.min(1, Math.max(0, scratch[k])) * 255);
    if (onProgress && ((i + 1) % 1000 === 0 || i + 1 === count))
      onProgress({ stage: 'generate', done: i + 1, total: count });
  }
  const imageShape: ImageShape = [s.size, s.size, s.channels];
  return new DataSplit({
    name,
    source: memoryImageSource({ imageShape, images, masks }),
    labels,
    classNames: SYNTHETIC_SHAPES.slice(0, s.numClasses).map((shape) => shape.name),
  });
}

function integerIn(value: number, lo: number, hi: number, what: string): number {
  if (!Number.isInteger(value) || value < lo || value > hi)
    throw new InvalidOptionError(`${what} must be an integer in ${lo}..${hi}, got ${value}`);
  return value;
}

/**
 * Synthetic ground truth: each image holds one small shape at a random place
 * on a textured (or noisy) background; the shape's form is the class, and the
 * batch's `mask` `[b, h, w, 1]` marks the shape's pixels — the truth for
 * localisation metrics (pointing game, relevance mass).
 */
export const syntheticGroundTruth = defineDataset<SyntheticOptions>(
  {
    name: 'synthetic',
    description:
      'synthetic shapes on texture or noise with ground-truth masks, generated from a seed',
    classNames: SYNTHETIC_SHAPES.map((s) => s.name),
    imageShape: [32, 32, 1],
    source: 'generated from a seed',
    defaults: {
      imageSize: 32,
      channels: 1,
      numClasses: 10,
      trainSize: 5000,
      testSize: 1000,
      shapeSize: undefined,
      background: 'texture',
      mask: 'shape',
      seed: 0,
    },
    async load(options) {
      const size = integerIn(options.imageSize ?? 32, 28, 64, 'imageSize');
      const channels = options.channels ?? 1;
      if (channels !== 1 && channels !== 3)
        throw new InvalidOptionError(`channels must be 1 or 3, got ${channels}`);
      const numClasses = integerIn(
        options.numClasses ?? 10,
        2,
        SYNTHETIC_SHAPES.length,
        'numClasses',
      );
      const shapeSize = integerIn(
        options.shapeSize ?? Math.round(0.3 * size),
        5,
        size,
        'shapeSize',
      );
      const background = options.background ?? 'texture';
      if (background !== 'texture' && background !== 'noise')
        throw new InvalidOptionError(
          `background must be 'texture' or 'noise', got ${JSON.stringify(background)}`,
        );
      const mask = options.mask ?? 'shape';
      if (mask !== 'shape' && mask !== 'box')
        throw new InvalidOptionError(`mask must be 'shape' or 'box', got ${JSON.stringify(mask)}`);
      const trainSize = integerIn(options.trainSize ?? 5000, 1, 1e6, 'trainSize');
      const testSize = integerIn(options.testSize ?? 1000, 1, 1e6, 'testSize');
      const seed = options.seed ?? 0;
      const settings: Settings = { size, channels, numClasses, shapeSize, background, mask };
      const train = generateSplit('train', trainSize, settings, seed, options.onProgress);
      const test = generateSplit('test', testSize, settings, seed, options.onProgress);
      return { train, test };
    },
  },
  { replace: true },
);

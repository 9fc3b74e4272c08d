import { InvalidOptionError, type SeededRandom } from '@trustgrad/core-tensor';
import type { ImageShape } from '../source/image-shape';

/** Training-time augmentation, drawn per image from the batch's seeded generator. */
export interface AugmentOptions {
  /**
   * Random crop with zero padding: the image is padded by `cropPadding` pixels
   * on every side and a window of the original size is cut at a uniform
   * offset, i.e. shifted by `dy, dx ∈ [-p, p]` with zeros shifted in. 0 turns
   * it off. Default 4 (the usual CIFAR setting).
   */
  readonly cropPadding?: number;
  /** Mirror left–right with probability ½. Default true. */
  readonly flip?: boolean;
}

/** `true` means these defaults. */
export const DEFAULT_AUGMENT: Required<AugmentOptions> = { cropPadding: 4, flip: true };

/** Resolves `augment: boolean | AugmentOptions` to explicit settings, or null when off. */
export function resolveAugment(
  augment: boolean | AugmentOptions | undefined,
): Required<AugmentOptions> | null {
  if (augment === undefined || augment === false) return null;
  const options = augment === true ? DEFAULT_AUGMENT : { ...DEFAULT_AUGMENT, ...augment };
  if (!Number.isInteger(options.cropPadding) || options.cropPadding < 0) {
    throw new InvalidOptionError(
      `augment.cropPadding must be a non-negative integer, got ${options.cropPadding}`,
    );
  }
  return options;
}

/**
 * Applies random crop (with zero padding) and horizontal flip in place to `n`
 * NHWC images and, when given, to their masks `[n, h, w]` with the same draw.
 */
export function augmentInPlace(
  images: Float32Array,
  masks: Float32Array | undefined,
  n: number,
  shape: ImageShape,
  options: Required<AugmentOptions>,
  rng: SeededRandom,
): void {
  const [h, w, c] = shape;
  const imageSize = h * w * c;
  const scratch = new Float32Array(imageSize);
  const maskScratch = masks ? new Float32Array(h * w) : undefined;
  const p = options.cropPadding;
  for (let k = 0; k < n; k++) {
    const dy = p > 0 ? rng.int(2 * p + 1) - p : 0;
    const dx = p > 0 ? rng.int(2 * p + 1) - p : 0;
    const flip = options.flip && rng.uniform() < 0.5;
    if (dy === 0 && dx === 0 && !flip) continue;
    transform(images.subarray(k * imageSize, (k + 1) * imageSize), scratch, h, w, c, dy, dx, flip);
    if (masks && maskScratch)
      transform(masks.subarray(k * h * w, (k + 1) * h * w), maskScratch, h, w, 1, dy, dx, flip);
  }
}

/** out[y, x] = in[y + dy, x' + dx] (x' mirrored when flipping), 0 outside the image. */
function transform(
  image: Float32Array,
  scratch: Float32Array,
  h: number,
  w: number,
  c: number,
  dy: number,
  dx: number,
  flip: boolean,
): void {
  scratch.set(image);
  for (let y = 0; y < h; y++) {
    const sy = y + dy;
    for (let x = 0; x < w; x++) {
      const sx = (flip ? w - 1 - x : x) + dx;
      const to = (y * w + x) * c;
      if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
        for (let ch = 0; ch < c; ch++) image[to + ch] = 0;
      } else {
        const from = (sy * w + sx) * c;
        for (let ch = 0; ch < c; ch++) image[to + ch] = scratch[from + ch];
      }
    }
  }
}

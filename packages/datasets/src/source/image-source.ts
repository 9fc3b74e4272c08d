import type { ImageShape } from './image-shape';

/**
 * Where a split's pixels live. A source is read a batch at a time, so a split
 * can be held in memory as bytes or streamed from a file, and tensors are only
 * ever made for one batch.
 */
export interface ImageSource {
  /** Number of images. */
  readonly length: number;
  /** Shape of one image. */
  readonly imageShape: ImageShape;
  /** Whether {@link ImageSource.read} fills ground-truth masks. */
  readonly hasMasks: boolean;
  /**
   * Writes images `indices` as float32 in [0, 1], NHWC, into `images`
   * (`indices.length * h * w * c` values) and, when the source has masks,
   * their 0/1 masks into `masks` (`indices.length * h * w` values).
   */
  read(indices: ArrayLike<number>, images: Float32Array, masks?: Float32Array): Promise<void>;
}

/** Images held in memory as bytes (0..255) or floats ([0, 1]), possibly in several chunks. */
export interface MemoryImageSourceInit {
  /** Shape of one image. */
  readonly imageShape: ImageShape;
  /**
   * NHWC pixel data; one array or several chunks each holding whole images.
   * Bytes are divided by 255; floats are taken as they are.
   */
  readonly images: Uint8Array | Float32Array | readonly (Uint8Array | Float32Array)[];
  /** 0/1 masks `[n, h, w]` as bytes, chunked like `images`; omit when there are none. */
  readonly masks?: Uint8Array | readonly Uint8Array[];
}

/**
 * An {@link ImageSource} over arrays in memory. Bytes take a quarter of the
 * memory of floats: full CIFAR-10 as bytes is 60 000 × 3072 B = 184 MB.
 *
 * @example
 * const source = memoryImageSource({ imageShape: [28, 28, 1], images: bytes });
 */
export function memoryImageSource(init: MemoryImageSourceInit): ImageSource {
  const [h, w, c] = init.imageShape;
  const imageSize = h * w * c;
  const pixelsPerImage = h * w;
  const chunks = Array.isArray(init.images)
    ? [...init.images]
    : [init.images as Uint8Array | Float32Array];
  const maskChunks =
    init.masks === undefined
      ? undefined
      : Array.isArray(init.masks)
        ? [...init.masks]
        : [init.masks as Uint8Array];
  const starts: number[] = [];
  let length = 0;
  for (const chunk of chunks) {
    if (chunk.length % imageSize !== 0) {
      throw new RangeError(
        `an image chunk of ${chunk.length} values is not a whole number of ${h}x${w}x${c} images`,
      );
    }
    starts.push(length);
    length += chunk.length / imageSize;
  }
  if (maskChunks) {
    if (maskChunks.length !== chunks.length)
      throw new RangeError('masks must be chunked like images');
    maskChunks.forEach((m, k) => {
      if (m.length !== (chunks[k].length / imageSize) * pixelsPerImage) {
        throw new RangeError(
          `mask chunk ${k} holds ${m.length} values, expected one ${h}x${w} mask per image`,
        );
      }
    });
  }
  const locate = (index: number): [number, number] => {
    if (!(index >= 0 && index < length) || !Number.isInteger(index)) {
      throw new RangeError(`image index ${index} is outside 0..${length - 1}`);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return [lo, index - starts[lo]];
  };
  return {
    length,
    imageShape: init.imageShape,
    hasMasks: maskChunks !== undefined,
    async read(indices, images, masks) {
      for (let k = 0; k < indices.length; k++) {
        const [chunkIndex, local] = locate(indices[k]);
        const chunk = chunks[chunkIndex];
        const from = local * imageSize;
        const to = k * imageSize;
        if (chunk instanceof Uint8Array) {
          for (let i = 0; i < imageSize; i++) images[to + i] = chunk[from + i] / 255;
        } else {
          images.set(chunk.subarray(from, from + imageSize), to);
        }
        if (masks && maskChunks) {
          const m = maskChunks[chunkIndex];
          const mFrom = local * pixelsPerImage;
          const mTo = k * pixelsPerImage;
          for (let i = 0; i < pixelsPerImage; i++) masks[mTo + i] = m[mFrom + i];
        }
      }
    },
  };
}

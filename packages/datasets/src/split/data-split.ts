import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';
import { augmentInPlace, resolveAugment } from '../preprocess/augment';
import { normalizeInPlace, resolveNormalization } from '../preprocess/normalize';
import { rngFor } from '../random/rng-for';
import type { ImageShape } from '../source/image-shape';
import type { ImageSource } from '../source/image-source';
import {
  checkLimit,
  positionsOfClasses,
  resolveClasses,
  type SubsetOptions,
  stratifiedDraw,
} from '../subset/select-examples';
import type { Batch } from './batch';
import type { BatchOptions } from './batch-options';

/** Everything needed to make a {@link DataSplit}. */
export interface DataSplitInit {
  /** `'train'`, `'test'`, `'validation'`, or another name. */
  readonly name: string;
  /** Where the pixels are. */
  readonly source: ImageSource;
  /** One label per example of the split. */
  readonly labels: Int32Array;
  /** Class names, indexed by label. */
  readonly classNames: readonly string[];
  /** Which source images the split's examples are; default all, in order. */
  readonly sourceIndices?: Int32Array;
}

/** Options of {@link DataSplit.splitValidation}. */
export interface ValidationSplitOptions {
  /** Fraction of the split to hold out, in (0, 1). */
  readonly fraction?: number;
  /** Number of examples to hold out (instead of `fraction`). */
  readonly size?: number;
  /** Seed of the draw. Default 0. */
  readonly seed?: number;
  /** Keep class shares equal in both parts. Default true. */
  readonly stratified?: boolean;
}

interface Prepared {
  images: Float32Array;
  masks?: Float32Array;
  labels: Int32Array;
  positions: Int32Array;
}

/**
 * A split of a dataset (train, validation, test): labels in memory, pixels in
 * an {@link ImageSource}, tensors made only per batch.
 *
 * @example
 * for await (const { x, y } of split.batches({ batchSize: 64, shuffle: true, seed: 1, augment: true })) {
 *   // x: [64, h, w, c] float32, y: [64] int32
 *   x.dispose(); y.dispose();
 * }
 */
export class DataSplit {
  readonly name: string;
  readonly classNames: readonly string[];
  /** Label of each example, by position. */
  readonly labels: Int32Array;
  private readonly source: ImageSource;
  private readonly sourceIndices: Int32Array;

  constructor(init: DataSplitInit) {
    const sourceIndices =
      init.sourceIndices ?? Int32Array.from({ length: init.source.length }, (_, i) => i);
    if (init.labels.length !== sourceIndices.length) {
      throw new InvalidOptionError(
        `split "${init.name}" has ${init.labels.length} labels for ${sourceIndices.length} images; expected one label per image`,
      );
    }
    for (let i = 0; i < init.labels.length; i++) {
      const label = init.labels[i];
      if (!(label >= 0 && label < init.classNames.length)) {
        throw new InvalidOptionError(
          `split "${init.name}": label ${label} at position ${i} is outside 0..${init.classNames.length - 1} (${init.classNames.length} classes)`,
        );
      }
    }
    this.name = init.name;
    this.source = init.source;
    this.labels = init.labels;
    this.classNames = init.classNames;
    this.sourceIndices = sourceIndices;
  }

  /** Number of examples. */
  get length(): number {
    return this.sourceIndices.length;
  }

  /** `[height, width, channels]` of one image. */
  get imageShape(): ImageShape {
    return this.source.imageShape;
  }

  /** Whether batches carry a ground-truth `mask`. */
  get hasMasks(): boolean {
    return this.source.hasMasks;
  }

  /** Number of examples of each class, indexed by label. */
  classCounts(): number[] {
    const counts = new Array<number>(this.classNames.length).fill(0);
    for (const label of this.labels) counts[label]++;
    return counts;
  }

  /** The split restricted to `positions` (in that order). */
  select(positions: ArrayLike<number>, name = this.name): DataSplit {
    const sourceIndices = new Int32Array(positions.length);
    const labels = new Int32Array(positions.length);
    for (let k = 0; k < positions.length; k++) {
      const p = positions[k];
      if (!Number.isInteger(p) || p < 0 || p >= this.length) {
        throw new InvalidOptionError(
          `position ${p} is outside 0..${this.length - 1} of split "${this.name}"`,
        );
      }
      sourceIndices[k] = this.sourceIndices[p];
      labels[k] = this.labels[p];
    }
    return new DataSplit({
      name,
      source: this.source,
      labels,
      classNames: this.classNames,
      sourceIndices,
    });
  }

  /**
   * A subset by class and/or size. With `limit` and `stratified` (the default)
   * every class keeps its share; see {@link SubsetOptions}.
   */
  subset(options: SubsetOptions): DataSplit {
    let split: DataSplit = this;
    if (options.classes !== undefined) {
      const classes = resolveClasses(options.classes, this.classNames);
      split = split.select(positionsOfClasses(this.labels, classes));
      if (options.remapLabels) split = split.remap(classes);
    }
    if (options.limit !== undefined) {
      checkLimit(options.limit);
      if (options.limit < split.length) {
        const positions =
          options.stratified === false
            ? Int32Array.from({ length: options.limit }, (_, i) => i)
            : stratifiedDraw(split.labels, options.limit, options.seed ?? 0)[0];
        split = split.select(positions);
      }
    }
    return split;
  }

  /** Holds out part of the split; returns the two disjoint parts. */
  splitValidation(options: ValidationSplitOptions): { train: DataSplit; validation: DataSplit } {
    const size =
      options.size ??
      (options.fraction === undefined ? undefined : Math.round(options.fraction * this.length));
    if (options.fraction !== undefined && !(options.fraction > 0 && options.fraction < 1)) {
      throw new InvalidOptionError(
        `validation fraction must be in (0, 1), got ${options.fraction}`,
      );
    }
    if (size === undefined || !Number.isInteger(size) || size < 1 || size >= this.length) {
      throw new InvalidOptionError(
        `validation size must be an integer in 1..${this.length - 1} (or a fraction in (0, 1)), got ${size ?? 'nothing'}; pass { fraction } or { size }`,
      );
    }
    const seed = options.seed ?? 0;
    let held: Int32Array;
    let kept: Int32Array;
    if (options.stratified === false) {
      const order = rngFor(seed, 0x7a11).permutation(this.length);
      held = order.slice(0, size).sort();
      kept = order.slice(size).sort();
    } else {
      [held, kept] = stratifiedDraw(this.labels, size, seed);
    }
    return { train: this.select(kept, this.name), validation: this.select(held, 'validation') };
  }

  /** The examples at `positions` as one batch (tensors owned by the caller). */
  async gather(
    positions: ArrayLike<number>,
    options: Pick<BatchOptions, 'normalize'> = {},
  ): Promise<Batch> {
    const order = Int32Array.from(positions as ArrayLike<number>);
    for (const p of order) {
      if (p < 0 || p >= this.length)
        throw new InvalidOptionError(
          `position ${p} is outside 0..${this.length - 1} of split "${this.name}"`,
        );
    }
    return toBatch(
      await this.prepare(
        order,
        null,
        options.normalize ? resolveNormalization(options.normalize, this.imageShape[2]) : null,
        null,
      ),
      this.imageShape,
    );
  }

  /** The first `n` examples (or all, if fewer) as one batch. */
  take(n: number, options: Pick<BatchOptions, 'normalize'> = {}): Promise<Batch> {
    checkLimit(n, 'take(n): n');
    return this.gather(
      Int32Array.from({ length: Math.min(n, this.length) }, (_, i) => i),
      options,
    );
  }

  /**
   * The split as batches, prepared `prefetch` ahead. Order, augmentation and
   * therefore every batch are fixed by `(seed, epoch)`. Each batch's tensors
   * are made when the consumer takes it and belong to the consumer.
   */
  batches(options: BatchOptions): AsyncIterableIterator<Batch> {
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new InvalidOptionError(`batchSize must be a positive integer, got ${batchSize}`);
    }
    const prefetch = options.prefetch ?? 2;
    if (!Number.isInteger(prefetch) || prefetch < 0)
      throw new InvalidOptionError(`prefetch must be an integer ≥ 0, got ${prefetch}`);
    const seed = options.seed ?? 0;
    const epoch = options.epoch ?? 0;
    const augment = resolveAugment(options.augment);
    const normalization = options.normalize
      ? resolveNormalization(options.normalize, this.imageShape[2])
      : null;
    const dropLast = options.dropLast ?? options.drop_last ?? false;
    const order = options.shuffle
      ? rngFor(seed, epoch, 0x5bf1).permutation(this.length)
      : Int32Array.from({ length: this.length }, (_, i) => i);
    const count = dropLast
      ? Math.floor(this.length / batchSize)
      : Math.ceil(this.length / batchSize);
    const prepareBatch = (b: number) =>
      this.prepare(
        order.subarray(b * batchSize, Math.min((b + 1) * batchSize, this.length)),
        augment,
        normalization,
        [seed, epoch, b],
      );
    const imageShape = this.imageShape;
    return (async function* () {
      const pending: Promise<Prepared>[] = [];
      let next = 0;
      const fill = () => {
        while (next < count && pending.length <= prefetch) {
          const p = prepareBatch(next++);
          p.catch(() => {}); // surfaced when awaited below; avoids an unhandled rejection if the consumer stops early
          pending.push(p);
        }
      };
      fill();
      while (pending.length > 0) {
        const prepared = await pending.shift()!;
        fill();
        yield toBatch(prepared, imageShape);
      }
    })();
  }

  private async prepare(
    positions: Int32Array,
    augment: ReturnType<typeof resolveAugment>,
    normalization: ReturnType<typeof resolveNormalization> | null,
    seedParts: number[] | null,
  ): Promise<Prepared> {
    const [h, w, c] = this.imageShape;
    const n = positions.length;
    const images = new Float32Array(n * h * w * c);
    const masks = this.source.hasMasks ? new Float32Array(n * h * w) : undefined;
    const sourceIndices = new Int32Array(n);
    const labels = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      sourceIndices[k] = this.sourceIndices[positions[k]];
      labels[k] = this.labels[positions[k]];
    }
    await this.source.read(sourceIndices, images, masks);
    if (augment && seedParts)
      augmentInPlace(
        images,
        masks,
        n,
        this.imageShape,
        augment,
        rngFor(seedParts[0], ...seedParts.slice(1), 0xa06),
      );
    if (normalization) normalizeInPlace(images, c, normalization.mean, normalization.std);
    return { images, masks, labels, positions: Int32Array.from(positions) };
  }

  private remap(classes: readonly number[]): DataSplit {
    const lookup = new Map(classes.map((cls, k) => [cls, k]));
    return new DataSplit({
      name: this.name,
      source: this.source,
      labels: this.labels.map((label) => lookup.get(label)!),
      classNames: classes.map((cls) => this.classNames[cls]),
      sourceIndices: this.sourceIndices,
    });
  }
}

function toBatch(prepared: Prepared, [h, w, c]: ImageShape): Batch {
  const n = prepared.labels.length;
  return {
    x: tf.tensor4d(prepared.images, [n, h, w, c], 'float32'),
    y: tf.tensor1d(prepared.labels, 'int32'),
    mask: prepared.masks ? tf.tensor4d(prepared.masks, [n, h, w, 1], 'float32') : undefined,
    indices: prepared.positions,
    labels: prepared.labels,
  };
}

/** Disposes a batch's tensors. */
export function disposeBatch(batch: Batch): void {
  batch.x.dispose();
  batch.y.dispose();
  batch.mask?.dispose();
}

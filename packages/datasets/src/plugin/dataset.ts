import type { DataSplit } from '../core/data-split';
import type { ImageShape, ProgressCallback } from '../core/types';

/** A loaded dataset: its splits and what they hold. */
export interface Dataset {
  /** The registry name it was loaded under. */
  readonly name: string;
  /** Class names, indexed by label. */
  readonly classNames: readonly string[];
  /** `[height, width, channels]` of one image. */
  readonly imageShape: ImageShape;
  /** Pixel range of un-normalised batches: always [0, 1]. */
  readonly range: readonly [0, 1];
  readonly train: DataSplit;
  readonly test: DataSplit;
  /** Present when a validation split was asked for (carved out of `train`). */
  readonly validation?: DataSplit;
}

/** What a dataset is, without loading it. */
export interface DatasetDescription {
  /** Human-readable title. */
  readonly title: string;
  /** Class names, where fixed (a plugin whose classes depend on options may leave it out). */
  readonly classNames?: readonly string[];
  /** Default image shape. */
  readonly imageShape: ImageShape;
  /** Where the data come from and in what format. */
  readonly source: string;
}

/** Options every dataset accepts; `loadDataset` applies them after the plugin's `load`. */
export interface CommonLoadOptions {
  /** Keep at most this many examples per split (a number applies to train and test). */
  readonly limit?: number | { readonly train?: number; readonly test?: number };
  /** Keep only these classes (indices or names). */
  readonly classes?: readonly (number | string)[];
  /** Renumber kept `classes` to 0..k-1. Default false. */
  readonly remapLabels?: boolean;
  /** `limit` keeps class shares (default true). */
  readonly stratified?: boolean;
  /** Seed of subsets and of the validation draw. Default 0. */
  readonly seed?: number;
  /** Hold out part of (the limited) train as `validation`: a fraction in (0, 1) or `{ fraction | size }`. */
  readonly validation?: number | { readonly fraction?: number; readonly size?: number };
  /** Progress of long loads. */
  readonly onProgress?: ProgressCallback;
}

/**
 * A dataset plugin: a plain object with a name, a description and a loader.
 * Built-in datasets are plugins registered through the same door.
 */
export interface DatasetPlugin<Options extends object = Record<string, unknown>> {
  readonly name: string;
  /** What the dataset is. */
  describe(): DatasetDescription;
  /** Loads the full splits; `loadDataset` then applies {@link CommonLoadOptions}. */
  load(options: Options & CommonLoadOptions): Promise<Dataset>;
}

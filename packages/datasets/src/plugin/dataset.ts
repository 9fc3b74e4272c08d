import type { ProgressCallback } from '@trustgrad/core-tensor';
import type { ImageShape } from '../source/image-shape';
import type { DataSplit } from '../split/data-split';

/**
 * What a plugin's `load` returns: the splits. `loadDataset` makes the
 * {@link Dataset} from them (its name, and the class names and image shape
 * the train split holds), so no loader repeats what its splits already say.
 */
export interface DatasetSplits {
  readonly train: DataSplit;
  readonly test: DataSplit;
  /** A validation split the dataset ships with (else `validation` can carve one out of `train`). */
  readonly validation?: DataSplit;
}

/** A loaded dataset: its splits and what they hold. */
export interface Dataset extends DatasetSplits {
  /** The registry name it was loaded under. */
  readonly name: string;
  /** Class names, indexed by label. */
  readonly classNames: readonly string[];
  /** `[height, width, channels]` of one image. */
  readonly imageShape: ImageShape;
  /** Pixel range of un-normalised batches: always [0, 1]. */
  readonly range: readonly [0, 1];
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

/** Every {@link CommonLoadOptions} key with its default (`undefined`: not applied). */
export const COMMON_LOAD_DEFAULTS: Readonly<CommonLoadOptions> = Object.freeze({
  limit: undefined,
  classes: undefined,
  remapLabels: false,
  stratified: true,
  seed: 0,
  validation: undefined,
  onProgress: undefined,
});

/**
 * A dataset plugin: a plain frozen object with a name, a one-line
 * description, what it holds (image shape, classes, source), its own options
 * with their defaults, and a loader. Made by `defineDataset`, which registers
 * it; built-in datasets are plugins registered through the same door.
 */
export interface DatasetPlugin<Options extends object = Record<string, unknown>> {
  /** Registry key, kebab-case (`fashion-mnist`). */
  readonly name: string;
  /** One line: what the dataset is. */
  readonly description: string;
  /** Default image shape `[height, width, channels]`. */
  readonly imageShape: ImageShape;
  /** Class names, where fixed (a plugin whose classes depend on options may leave it out). */
  readonly classNames?: readonly string[];
  /** Where the data come from and in what format. */
  readonly source: string;
  /**
   * Every option of the plugin with its default (`undefined` where the loader
   * computes it); with {@link CommonLoadOptions} the keys `loadDataset` accepts.
   */
  readonly defaults: Readonly<Options>;
  /**
   * Loads the full splits; `loadDataset` then names the {@link Dataset}, reads
   * its class names and image shape off the train split and applies
   * {@link CommonLoadOptions}. (Fields of a full `Dataset` returned beside the
   * splits are accepted and replaced by those read off the splits.)
   */
  load(options: Options & CommonLoadOptions): Promise<DatasetSplits & Partial<Dataset>>;
}

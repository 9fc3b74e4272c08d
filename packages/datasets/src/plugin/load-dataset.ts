import { InvalidOptionError, resolveOptions } from '@trustgrad/core-tensor';
import type { DataSplit } from '../split/data-split';
import { COMMON_LOAD_DEFAULTS, type CommonLoadOptions, type Dataset } from './dataset';
import { datasetRegistry } from './dataset-registry';

/**
 * Loads a registered dataset by name and applies the common options, in this
 * order: `classes` (and `remapLabels`), then `limit` (stratified by default)
 * on train and test, then `validation` (held out of the limited train).
 * An option neither common nor in the plugin's `defaults` fails with
 * `InvalidOptionError` naming the known ones (`{ limt: 10 }` → did you mean "limit").
 *
 * @example
 * const data = await loadDataset('fashion-mnist', { limit: { train: 1000, test: 200 }, validation: 0.1 });
 * data.train.length; // 900
 */
export async function loadDataset(
  name: string,
  options: Record<string, unknown> & CommonLoadOptions = {},
): Promise<Dataset> {
  const plugin = datasetRegistry.get(name);
  // Only for the check: the plugin applies its own defaults, the common ones are applied below.
  resolveOptions(
    `loadDataset("${name}")`,
    { ...COMMON_LOAD_DEFAULTS, ...plugin.defaults },
    options,
  );
  const { train, test, validation } = await plugin.load(options);
  const dataset: Dataset = {
    name: plugin.name,
    classNames: train.classNames,
    imageShape: train.imageShape,
    range: [0, 1],
    train,
    test,
    ...(validation ? { validation } : {}),
  };
  return applyCommonOptions(dataset, options);
}

/** Applies {@link CommonLoadOptions} to a loaded dataset. */
export function applyCommonOptions(dataset: Dataset, options: CommonLoadOptions): Dataset {
  const seed = options.seed ?? 0;
  const byClass = (split: DataSplit) =>
    options.classes === undefined
      ? split
      : split.subset({ classes: options.classes, remapLabels: options.remapLabels });
  let train = byClass(dataset.train);
  let test = byClass(dataset.test);
  let validation = dataset.validation ? byClass(dataset.validation) : undefined;
  const limits =
    typeof options.limit === 'number'
      ? { train: options.limit, test: options.limit }
      : (options.limit ?? {});
  const cut = (split: DataSplit, limit: number | undefined) =>
    limit === undefined ? split : split.subset({ limit, stratified: options.stratified, seed });
  train = cut(train, limits.train);
  test = cut(test, limits.test);
  if (options.validation !== undefined) {
    if (validation)
      throw new InvalidOptionError(
        `dataset "${dataset.name}" already has a validation split; leave out the validation option`,
      );
    const spec =
      typeof options.validation === 'number'
        ? { fraction: options.validation }
        : options.validation;
    ({ train, validation } = train.splitValidation({
      ...spec,
      seed,
      stratified: options.stratified,
    }));
  }
  return { ...dataset, classNames: train.classNames, train, test, validation };
}

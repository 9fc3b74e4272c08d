import { type DefineOptions, InvalidOptionError, registerUnlessTold } from '@trustgrad/core-tensor';
import type { DatasetPlugin } from './dataset';
import { datasetRegistry } from './dataset-registry';

/**
 * Makes a dataset plugin (a frozen object), checking its shape, and registers
 * it in {@link datasetRegistry} (unless `{ register: false }`; a duplicate
 * name fails unless `{ replace: true }`) so `loadDataset(name)` finds it.
 *
 * @example
 * const tiny = defineDataset({
 *   name: 'tiny',
 *   description: 'two 2×2 black images',
 *   imageShape: [2, 2, 1],
 *   source: 'generated',
 *   defaults: {},
 *   async load() {
 *     const source = memoryImageSource({ imageShape: [2, 2, 1], images: new Uint8Array(8) });
 *     const split = (name: string) => new DataSplit({ name, source, labels: Int32Array.of(0, 1), classNames: ['a', 'b'] });
 *     return { train: split('train'), test: split('test') }; // name, classes and shape follow
 *   },
 * });
 * await loadDataset('tiny');
 */
export function defineDataset<Options extends object>(
  plugin: DatasetPlugin<Options>,
  options: DefineOptions = {},
): DatasetPlugin<Options> {
  if (typeof plugin?.name !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(plugin.name)) {
    throw new InvalidOptionError(
      `a dataset name must be kebab-case: lower-case letters and digits joined by "-" (got ${JSON.stringify(plugin?.name)})`,
    );
  }
  if (typeof plugin.load !== 'function')
    throw new InvalidOptionError(`dataset "${plugin.name}" needs a load(options) function`);
  if (typeof plugin.description !== 'string' || plugin.description.length === 0)
    throw new InvalidOptionError(`dataset "${plugin.name}" needs a one-line description`);
  if (typeof plugin.defaults !== 'object' || plugin.defaults === null)
    throw new InvalidOptionError(
      `dataset "${plugin.name}" needs defaults: every option it accepts with its default ({} for none)`,
    );
  const frozen = Object.freeze({ ...plugin, defaults: Object.freeze({ ...plugin.defaults }) });
  return registerUnlessTold(datasetRegistry as never, frozen, options) as DatasetPlugin<Options>;
}

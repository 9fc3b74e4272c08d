import { InvalidOptionError } from '@trustgrad/core-tensor';
import type { DatasetPlugin } from './dataset';

/**
 * Makes a dataset plugin, checking its shape. Register it with
 * {@link registerDataset} to load it by name.
 *
 * @example
 * const tiny = defineDataset({
 *   name: 'tiny',
 *   describe: () => ({ title: 'Tiny', imageShape: [2, 2, 1], source: 'generated' }),
 *   async load() {
 *     const source = memoryImageSource({ imageShape: [2, 2, 1], images: new Uint8Array(8) });
 *     const split = (name: string) => new DataSplit({ name, source, labels: Int32Array.of(0, 1), classNames: ['a', 'b'] });
 *     return { name: 'tiny', classNames: ['a', 'b'], imageShape: [2, 2, 1], range: [0, 1], train: split('train'), test: split('test') };
 *   },
 * });
 */
export function defineDataset<Options extends object>(
  plugin: DatasetPlugin<Options>,
): DatasetPlugin<Options> {
  if (typeof plugin?.name !== 'string' || !/^[a-z0-9][a-z0-9-_.]*$/.test(plugin.name)) {
    throw new InvalidOptionError(
      `a dataset name must be lower-case letters, digits, "-", "_" or "." (got ${JSON.stringify(plugin?.name)})`,
    );
  }
  if (typeof plugin.load !== 'function')
    throw new InvalidOptionError(`dataset "${plugin.name}" needs a load(options) function`);
  if (typeof plugin.describe !== 'function')
    throw new InvalidOptionError(`dataset "${plugin.name}" needs a describe() function`);
  return Object.freeze({ ...plugin });
}

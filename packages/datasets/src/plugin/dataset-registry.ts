import { type RegisterOptions, Registry } from '@trustgrad/core-tensor';
import type { DatasetPlugin } from './dataset';

/** All dataset plugins, built-in and user-defined, by name. */
// biome-ignore lint/suspicious/noExplicitAny: plugins differ in their own options
export const datasetRegistry = new Registry<DatasetPlugin<any>>('dataset');

/** Adds a plugin made with `defineDataset` so `loadDataset(name)` finds it. */
export function registerDataset<Options extends object>(
  plugin: DatasetPlugin<Options>,
  options?: RegisterOptions,
): DatasetPlugin<Options> {
  return datasetRegistry.register(plugin, options);
}

import { sharedRegistry } from '@trustgrad/core-tensor';
import type { DatasetPlugin } from './dataset';

/**
 * All dataset plugins, built-in and user-defined, by kebab-case name.
 * `defineDataset` registers here; shared through `globalThis`.
 */
// biome-ignore lint/suspicious/noExplicitAny: plugins differ in their own options
export const datasetRegistry = sharedRegistry<DatasetPlugin<any>>('dataset', {
  keyStyle: 'kebab-case',
});

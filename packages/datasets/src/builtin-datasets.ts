import { cifar10 } from './cifar10/cifar10';
import { fashionMnist } from './fashion-mnist/fashion-mnist';
import { imagenette } from './imagenette/imagenette';
import { registerDataset } from './plugin/dataset-registry';
import { syntheticGroundTruth } from './synthetic/synthetic-ground-truth';

/** The built-in datasets, registered on import through the same door as user plugins. */
export const BUILTIN_DATASETS = [fashionMnist, cifar10, imagenette, syntheticGroundTruth] as const;

/** Registers the built-ins (idempotent). */
export function registerBuiltinDatasets(): void {
  for (const plugin of BUILTIN_DATASETS) registerDataset(plugin, { replace: true });
}

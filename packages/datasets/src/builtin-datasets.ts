import { cifar10 } from './cifar10/cifar10';
import { fashionMnist } from './fashion-mnist/fashion-mnist';
import { imagenette } from './imagenette/imagenette';
import { syntheticGroundTruth } from './synthetic/synthetic-ground-truth';

/**
 * The built-in datasets. Each registered itself through `defineDataset` when
 * its module was evaluated, the same door as a user plugin. Exported names:
 * `fashionMnist`, `cifar10`, `imagenette`, `syntheticGroundTruth` (key
 * `synthetic`: the name says what it holds).
 */
export const BUILTIN_DATASETS = [fashionMnist, cifar10, imagenette, syntheticGroundTruth] as const;

import { defineModel } from '../model/define-model';
import { CIFAR_RESNET_DEFAULTS, cifarResNet } from './cifar-resnet';
import { FMNIST_CNN_DEFAULTS, fmnistCnn } from './fmnist-cnn';
import { IMAGENETTE_RESNET18_DEFAULTS, imagenetteResNet18 } from './imagenette-resnet18';
import { LENET5_DEFAULTS, lenet5 } from './lenet5';
import { WIDE_RESNET_DEFAULTS, wideResNet } from './wide-resnet';

/**
 * The zoo as model plugins, registered in `modelRegistry` on import through
 * the same `defineModel` a user calls (`replace: true` keeps a re-evaluated
 * module idempotent). The builder functions keep their names (`fmnistCnn`,
 * `cifarResNet`, `imagenetteResNet18`: the architecture's usual spelling, not
 * the camelCase of the key).
 */
export const zooModels = [
  defineModel(
    {
      name: 'fmnist-cnn',
      description:
        'Fashion-MNIST CNN of the FMS paper: two 3×3 conv+pool stages, dense 128, logits',
      defaults: FMNIST_CNN_DEFAULTS,
      build: fmnistCnn,
    },
    { replace: true },
  ),
  defineModel(
    {
      name: 'cifar-resnet',
      description: 'CIFAR ResNet-(6n+2) of He et al. 2016 (ResNet-20 by default)',
      defaults: CIFAR_RESNET_DEFAULTS,
      build: cifarResNet,
    },
    { replace: true },
  ),
  defineModel(
    {
      name: 'imagenette-resnet18',
      description:
        'ResNet-18 for 64–256 px ImageNette inputs (7×7 stem, four stages; the FMS authors train at 224 px)',
      defaults: IMAGENETTE_RESNET18_DEFAULTS,
      build: imagenetteResNet18,
    },
    { replace: true },
  ),
  defineModel(
    {
      name: 'lenet5',
      description:
        'LeNet-5 as the FMS authors train it on Fashion-MNIST (two 5×5 conv+pool, fc 120, 84)',
      defaults: LENET5_DEFAULTS,
      build: lenet5,
    },
    { replace: true },
  ),
  defineModel(
    {
      name: 'wide-resnet',
      description:
        'WideResNet-depth-k (Zagoruyko & Komodakis 2016) as the FMS authors build it; WRN-28-10 by default',
      defaults: WIDE_RESNET_DEFAULTS,
      build: wideResNet,
    },
    { replace: true },
  ),
] as const;

import type { ExperimentConfigInput } from './schema';

const FMS_ROWS: ExperimentConfigInput['variants'] = [
  { training: 'standard', smoothing: false },
  { training: 'standard', smoothing: true },
  { training: 'pgd-at', smoothing: false },
  { training: 'pgd-at', smoothing: true },
];

/**
 * Named experiment configs. `fmnist-quick` is the README's main job: the FMS
 * paper's four rows on a stratified subset of real Fashion-MNIST, sized to
 * finish in about 20 minutes on two cores with the wasm backend.
 */
export const PRESETS: Record<string, { describe: string; config: ExperimentConfigInput }> = {
  smoke: {
    describe: 'Tiny end-to-end run for tests: 2 variants, a few hundred images, seconds.',
    config: {
      preset: 'smoke',
      dataset: { name: 'fashion-mnist', trainLimit: 256, testLimit: 64 },
      model: { name: 'fmnist-cnn', options: { filters: [4, 8], hiddenUnits: 16 } },
      variants: [
        { training: 'standard', smoothing: false },
        { training: 'pgd-at', smoothing: true },
      ],
      training: { epochs: 1, batchSize: 32, checkpointEvery: 4 },
      attack: { trainSteps: 2, evalSteps: 3 },
      explainers: ['vg', 'ig'],
      explainerOptions: { ig: { steps: 4 } },
      evaluation: {
        samples: 32,
        stabilitySamples: 4,
        perturbations: 4,
        heatmapSamples: 2,
        batchSize: 32,
      },
    },
  },
  'fmnist-quick': {
    describe:
      'ST, ST+FMS, AT, AT+FMS on 8k stratified real Fashion-MNIST images, VG and IG, all SPEC metrics on 500 test images (~20 min, 2 cores, wasm).',
    config: {
      preset: 'fmnist-quick',
      dataset: { name: 'fashion-mnist', trainLimit: 8000, testLimit: 500 },
      model: { name: 'fmnist-cnn' },
      variants: FMS_ROWS,
      training: { epochs: 2, batchSize: 64, learningRate: 1e-3 },
      attack: { eps: 0.1, trainSteps: 7, evalSteps: 20 },
      explainers: ['vg', 'ig'],
      explainerOptions: { ig: { steps: 16 } },
      evaluation: { samples: 500, stabilitySamples: 50, perturbations: 20, heatmapSamples: 6 },
    },
  },
  'fmnist-epoch': {
    describe:
      'The FMNIST CNN trained for one epoch on all 60k real Fashion-MNIST images (standard training), clean accuracy on all 10k test images (~3-5 min, wasm).',
    config: {
      preset: 'fmnist-epoch',
      dataset: { name: 'fashion-mnist' },
      model: { name: 'fmnist-cnn' },
      variants: [{ training: 'standard', smoothing: false }],
      training: { epochs: 1, batchSize: 64, learningRate: 1e-3 },
      explainers: ['vg'],
      metrics: ['cleanAcc', 'gini'],
      evaluation: {
        samples: 10000,
        stabilitySamples: 1,
        perturbations: 1,
        heatmapSamples: 6,
        batchSize: 256,
      },
    },
  },
  'fmnist-paper': {
    describe:
      'Full Fashion-MNIST, paper-scale epochs, ST / ST+FMS / AT / AT+FMS plus TRADES, NRAT, SCAAT and EC rows (hours on 2 cores).',
    config: {
      preset: 'fmnist-paper',
      dataset: { name: 'fashion-mnist' },
      model: { name: 'fmnist-cnn' },
      variants: [
        ...FMS_ROWS,
        { training: 'trades', smoothing: false },
        { training: 'nrat', smoothing: false },
        { training: 'scaat', smoothing: false },
        { training: 'explanation-consistency', smoothing: false },
      ],
      training: { epochs: 20, batchSize: 128, learningRate: 1e-3, schedule: 'cosine' },
      attack: { eps: 0.1, trainSteps: 7, evalSteps: 20 },
      explainers: ['vg', 'ig'],
      explainerOptions: { ig: { steps: 32 } },
      evaluation: { samples: 1000, stabilitySamples: 200, perturbations: 50 },
    },
  },
  cifar10: {
    describe:
      'CIFAR-10 ResNet-20, FMS rows; needs --set dataset.path=/path/to/cifar-10-batches-bin.',
    config: {
      preset: 'cifar10',
      dataset: { name: 'cifar10' },
      model: { name: 'cifar-resnet', options: { depth: 20 } },
      variants: FMS_ROWS,
      smoothing: { sigma: 1, after: 'stem_out' },
      training: { epochs: 30, batchSize: 128, learningRate: 1e-3, schedule: 'cosine' },
      attack: { eps: 8 / 255, trainSteps: 7, evalSteps: 20 },
      explainers: ['vg', 'ig'],
      evaluation: {
        samples: 1000,
        stabilitySamples: 100,
        perturbations: 50,
        representationLayer: 'gap',
      },
    },
  },
  imagenette: {
    describe:
      'ImageNette ResNet-18 at 128 px, FMS rows; needs --set dataset.path=/path/to/imagenette2-160.',
    config: {
      preset: 'imagenette',
      // The real set holds greyscale and CMYK JPEGs: converted to RGB as torchvision's ImageFolder does.
      dataset: { name: 'imagenette', options: { imageSize: 128 } },
      model: { name: 'imagenette-resnet18' },
      variants: FMS_ROWS,
      smoothing: { sigma: 1, after: 'stem_out' },
      training: { epochs: 20, batchSize: 64, learningRate: 1e-3, schedule: 'cosine' },
      attack: { eps: 4 / 255, trainSteps: 7, evalSteps: 20 },
      explainers: ['vg', 'ig'],
      evaluation: {
        samples: 500,
        stabilitySamples: 50,
        perturbations: 50,
        representationLayer: 'gap',
      },
    },
  },
};

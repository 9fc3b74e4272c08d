import {
  IMAGENETTE_RESNET18_PAPER_BLOCK,
  LENET5_PAPER_BLOCK,
  WIDE_RESNET_PAPER_BLOCK,
} from '@trustgrad/core-tensor';
import type { ExperimentConfigInput } from './schema';

const FMS_ROWS: ExperimentConfigInput['variants'] = [
  { training: 'standard', smoothing: false },
  { training: 'standard', smoothing: true },
  { training: 'pgd-at', smoothing: false },
  { training: 'pgd-at', smoothing: true },
];

/**
 * The FMS paper's metrics as the authors compute them (SPEC 6, their
 * `common_metrics.py`): Quantus Sparseness (Gini) of VG, Quantus ROS with 5
 * samples reported as log10 of the mean (`extra.log10Mean`), ROAD AOPC MoRF,
 * SSIM of maps under input noise per σ (`extra.bySigma`), with clean and
 * robust accuracy, the explanation metrics on correctly classified samples only.
 */
const PAPER_METRICS: Pick<ExperimentConfigInput, 'explainers' | 'metrics' | 'metricOptions'> = {
  explainers: ['vg'],
  metrics: ['cleanAcc', 'robustAcc', 'gini', 'ros', 'roadAopc', 'ssim'],
  metricOptions: { ros: { protocol: 'quantus', perturbations: 5 } },
};

/**
 * cleverhans' `projected_gradient_descent` as the authors call it on FMNIST:
 * random start, the model's predicted labels (`y=None`), no clipping to [0, 1]
 * (no `clip_min`/`clip_max` passed).
 */
const CLEVERHANS_PGD = { name: 'pgd-linf', options: { labels: 'predicted', clip: false } };

/** The authors' FMNIST attack: PGD-40 at ε = 0.1 with steps of ε/10 (stepFactor 4: 4·ε/40), cleverhans' defaults. */
const FMNIST_AUTHORS_ATTACK: ExperimentConfigInput['attack'] = {
  eps: 0.1,
  trainSteps: 40,
  evalSteps: 40,
  stepFactor: 4,
  train: CLEVERHANS_PGD,
  eval: CLEVERHANS_PGD,
};

/** AT as the authors train it on FMNIST: Adam at lr 1e-4 (ST: 1e-3). */
const FMNIST_AT_LR = { learningRate: 1e-4 };

/** An AT+FMS row trained at its own ε (the evaluation attack stays at the run's ε = 0.1, so rows compare). */
const atFmsAt = (eps: number, trainer: Record<string, number>) => ({
  training: 'pgd-at',
  smoothing: true,
  attack: { train: { options: { eps } } },
  trainer,
});

/** LeNet-5 with the authors' block: residual 3×3 Gaussian, σ by their width rule (2.15 at 12×12), after pool1. */
const LENET5_BLOCK = { block: 'paper', ...LENET5_PAPER_BLOCK } as const;

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
  'fms-fmnist': {
    describe:
      "The FMS authors' full FMNIST protocol (SPEC 6): LeNet-5 with their residual block after pool1, batch 32, Adam; ST/ST+FMS lr 1e-3 × 50 epochs, AT lr 1e-4 × 40 epochs with cleverhans PGD-40 (ε 0.1, steps ε/10, predicted labels, no clip), AT+FMS swept over ε 0.01–0.3; Gini, Quantus ROS (log10 of mean), ROAD AOPC, SSIM per σ on correctly classified test images (days on 2 cores).",
    config: {
      preset: 'fms-fmnist',
      dataset: { name: 'fashion-mnist' },
      model: { name: 'lenet5' },
      smoothing: LENET5_BLOCK,
      variants: [
        { training: 'standard', smoothing: false },
        { training: 'standard', smoothing: true },
        { training: 'pgd-at', smoothing: false, trainer: { ...FMNIST_AT_LR, epochs: 40 } },
        ...[0.01, 0.03, 0.06, 0.1, 0.3].map((eps) => atFmsAt(eps, { ...FMNIST_AT_LR, epochs: 40 })),
      ],
      training: { epochs: 50, batchSize: 32, learningRate: 1e-3, optimizer: 'adam' },
      attack: FMNIST_AUTHORS_ATTACK,
      ...PAPER_METRICS,
      // ~1000 correctly classified of 1100 drawn test images (ST 89.7%, AT 88.3% in the paper).
      evaluation: {
        samples: 1100,
        stabilitySamples: 1100,
        heatmapSamples: 6,
        representationLayer: 'fc1',
        correctlyClassified: true,
      },
    },
  },
  'fms-fmnist-lite': {
    describe:
      "fms-fmnist's protocol (same LeNet-5, block, cleverhans PGD-40 and metrics) on a stratified 20k-image subset for 2 epochs: ST, ST+FMS, AT (ε 0.1), AT+FMS (ε 0.1 and 0.01); the metrics on the correctly classified of 500 test images, ROS and SSIM on the first 200 of them (sized for < 45 min per seed on 2 idle cores).",
    config: {
      preset: 'fms-fmnist-lite',
      dataset: { name: 'fashion-mnist', trainLimit: 20000 },
      model: { name: 'lenet5' },
      smoothing: LENET5_BLOCK,
      variants: [
        { training: 'standard', smoothing: false },
        { training: 'standard', smoothing: true },
        { training: 'pgd-at', smoothing: false, trainer: FMNIST_AT_LR },
        atFmsAt(0.1, FMNIST_AT_LR),
        atFmsAt(0.01, FMNIST_AT_LR),
      ],
      training: { epochs: 2, batchSize: 32, learningRate: 1e-3, optimizer: 'adam' },
      attack: FMNIST_AUTHORS_ATTACK,
      ...PAPER_METRICS,
      evaluation: {
        samples: 500,
        stabilitySamples: 200,
        heatmapSamples: 6,
        representationLayer: 'fc1',
        correctlyClassified: true,
      },
    },
  },
  'fms-cifar10': {
    describe:
      "The FMS authors' CIFAR-10 settings (SPEC 6): WideResNet-28-10 with their block after the first residual group, SGD lr 0.1 Nesterov momentum 0.9, weight decay 5e-4, batch 128, 179 epochs ≈ 70k steps, lr ÷10 at steps 40k and 50k; PGD-7 ε 0.0314, step 0.00784 on their normalised inputs (epsSpace 'normalised-input': ≈ 2/255 in pixels; set attack.epsSpace=pixel for 8/255); the paper's metrics. Needs --set dataset.path=/path/to/cifar-10-batches-bin.",
    config: {
      preset: 'fms-cifar10',
      dataset: { name: 'cifar10' },
      model: { name: 'wide-resnet', options: { depth: 28, widenFactor: 10 } },
      smoothing: { block: 'paper', ...WIDE_RESNET_PAPER_BLOCK },
      variants: FMS_ROWS,
      training: {
        epochs: 179,
        batchSize: 128,
        learningRate: 0.1,
        optimizer: { name: 'sgd', momentum: 0.9, nesterov: true },
        weightDecay: 5e-4,
        schedule: { name: 'step', milestones: [40000, 50000], unit: 'step' },
      },
      attack: {
        eps: 0.0314,
        trainSteps: 7,
        evalSteps: 20,
        train: { name: 'pgd-linf', options: { stepSize: 0.00784 } },
        epsSpace: 'normalised-input',
        // Their normalisation: std 63.0, 62.1, 66.7 over 255.
        inputStd: [63.0 / 255, 62.1 / 255, 66.7 / 255],
      },
      ...PAPER_METRICS,
      evaluation: {
        samples: 1100,
        stabilitySamples: 1100,
        representationLayer: 'gap',
        correctlyClassified: true,
      },
    },
  },
  'fms-imagenette': {
    describe:
      "The FMS authors' ImageNette settings (SPEC 6): ResNet-18 at 224 px with their block after the first residual group, batch 64, Ranger (RAdam + Lookahead, ε 1e-6) lr 8e-3, 200 epochs, PGD ε 1/255; the paper's metrics. Not theirs: no RandomResizedCrop (the bench does not augment), PGD-7 steps (SPEC 6 gives no step count). Needs --set dataset.path=/path/to/imagenette2-320.",
    config: {
      preset: 'fms-imagenette',
      dataset: { name: 'imagenette', options: { imageSize: 224 } },
      model: { name: 'imagenette-resnet18' },
      smoothing: { block: 'paper', ...IMAGENETTE_RESNET18_PAPER_BLOCK },
      variants: FMS_ROWS,
      training: {
        epochs: 200,
        batchSize: 64,
        learningRate: 8e-3,
        optimizer: { name: 'ranger', epsilon: 1e-6 },
      },
      attack: { eps: 1 / 255, trainSteps: 7, evalSteps: 20 },
      ...PAPER_METRICS,
      evaluation: {
        samples: 1100,
        stabilitySamples: 1100,
        representationLayer: 'gap',
        correctlyClassified: true,
      },
    },
  },
};

import { mixSeed } from '../random/mix-seed';

/** Options shared by every zoo model. */
export interface ZooModelOptions {
  /** Input shape `[height, width, channels]` (NHWC without the batch). */
  inputShape?: [number, number, number];
  /** Number of classes (the model outputs this many logits). Default 10. */
  numClasses?: number;
  /** Seed of the weight initialisers; the same seed gives the same weights. Default 0. */
  seed?: number;
}

/**
 * Seeds one initialiser per layer so each layer differs but the model is
 * reproducible: `mixSeed(seed, 'layer', layerIndex)`, so model seeds 0 and 1
 * share no layer stream (the former `seed·1009 + i·7919 + 1` made
 * `(seed + 7919, i)` and `(seed, i + 1009)` collide).
 */
export function layerSeed(seed: number, layerIndex: number): number {
  return mixSeed(seed, 'layer', layerIndex);
}

/**
 * Where a zoo model holds the FMS authors' smoothing block by default, and how
 * their code initialises the block's 1×1 convolution in that model. Spread it
 * into smoothing-layer's `insertSmoothing(model, { ...placement, block: 'paper' })`.
 */
export interface PaperBlockPlacement {
  /** The layer after which the authors put the block. */
  readonly after: string;
  /** `'pytorch-default'` (their model leaves `nn.Conv2d`'s init) or `'he-normal-fan-out'` (their model re-inits every conv). */
  readonly init: 'pytorch-default' | 'he-normal-fan-out';
}

/**
 * PyTorch's default initialiser of `nn.Conv2d` / `nn.Linear` weights and
 * biases, kaiming-uniform with a = √5: U(−1/√fan_in, 1/√fan_in).
 */
export function pytorchDefaultUniform(fanIn: number, seed: number) {
  const bound = 1 / Math.sqrt(fanIn);
  return { minval: -bound, maxval: bound, seed };
}

/** Options shared by every zoo model. */
export interface ZooModelOptions {
  /** Input shape `[height, width, channels]` (NHWC without the batch). */
  inputShape?: [number, number, number];
  /** Number of classes (the model outputs this many logits). Default 10. */
  numClasses?: number;
  /** Seed of the weight initialisers; the same seed gives the same weights. Default 0. */
  seed?: number;
}

/** Seeds one initialiser per layer so each layer differs but the model is reproducible. */
export function layerSeed(seed: number, layerIndex: number): number {
  return seed * 1009 + layerIndex * 7919 + 1;
}

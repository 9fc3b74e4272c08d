import * as tfl from '@tensorflow/tfjs-layers';

/** A small dense classifier on `[h, w, c]` inputs that outputs logits; seeded, fast on every backend. */
export function tinyMlp(inputShape: [number, number, number], hidden = 16, classes = 4, seed = 0): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(tfl.layers.flatten({ inputShape }));
  model.add(
    tfl.layers.dense({
      units: hidden,
      activation: 'relu',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
    }),
  );
  model.add(tfl.layers.dense({ units: classes, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 2 }) }));
  return model;
}

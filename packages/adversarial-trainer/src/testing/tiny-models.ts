import * as tfl from '@tensorflow/tfjs-layers';

/** A small dense classifier on `[h, w, c]` inputs that outputs logits; seeded, fast on every backend. */
export function tinyMlp(
  inputShape: [number, number, number],
  hidden = 16,
  classes = 4,
  seed = 0,
): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(tfl.layers.flatten({ inputShape }));
  model.add(
    tfl.layers.dense({
      units: hidden,
      activation: 'relu',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
    }),
  );
  model.add(
    tfl.layers.dense({
      units: classes,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 2 }),
    }),
  );
  return model;
}

/** A small conv classifier on `[h, w, c]` inputs (conv → relu → conv → relu → dense logits), for Grad-CAM tests; seeded. */
export function tinyCnn(
  inputShape: [number, number, number],
  classes = 3,
  seed = 0,
): tfl.LayersModel {
  const model = tfl.sequential();
  const init = (k: number) => tfl.initializers.glorotUniform({ seed: seed + k });
  model.add(
    tfl.layers.conv2d({
      inputShape,
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(1),
      name: 'conv1',
    }),
  );
  model.add(
    tfl.layers.conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(2),
      name: 'conv2',
    }),
  );
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: classes, kernelInitializer: init(3) }));
  return model;
}

import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, LayerNotFoundError } from '@trustgrad/core-tensor';

type Layer = tfl.layers.Layer;

const CONV_CLASSES = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose']);

/** Every layer of `model`, nested models' layers included, in the model's (topological) order. */
export function allLayers(model: tfl.LayersModel): Layer[] {
  const out: Layer[] = [];
  for (const layer of model.layers) {
    out.push(layer);
    const nested = (layer as unknown as { layers?: Layer[] }).layers;
    if (Array.isArray(nested)) out.push(...allLayers(layer as unknown as tfl.LayersModel));
  }
  return out;
}

/**
 * The layer called `name` (nested models searched too); fails with
 * `LayerNotFoundError` listing the conv layers and all layers. The one
 * layer lookup of trustgrad: metrics and smoothing-layer use it too.
 */
export function findLayer(model: tfl.LayersModel, name: string): Layer {
  const layer = allLayers(model).find((l) => l.name === name);
  if (!layer) {
    throw new LayerNotFoundError(
      `model "${model.name}" has no layer named "${name}"; its conv layers are ${
        convLayers(model)
          .map((l) => l.name)
          .join(', ') || '(none)'
      } and all its layers ${allLayers(model)
        .map((l) => l.name)
        .join(', ')}`,
    );
  }
  return layer;
}

/** The layers whose class is a 2-D convolution, in model order. */
export function convLayers(model: tfl.LayersModel): Layer[] {
  return allLayers(model).filter((l) => CONV_CLASSES.has(l.getClassName()));
}

/** The last 2-D convolution layer of `model` (Grad-CAM's default). */
export function lastConvLayer(model: tfl.LayersModel): Layer {
  const convs = convLayers(model);
  if (convs.length === 0) {
    throw new InvalidOptionError(
      `model "${model.name}" has no Conv2D layer; pass { layer: '<name>' } naming a layer with a 4-D output [b, h, w, c]`,
    );
  }
  return convs[convs.length - 1];
}

import type * as tfl from '@tensorflow/tfjs-layers';
import { allLayers, InvalidOptionError } from '@trustgrad/core-tensor';

type Layer = tfl.layers.Layer;

const CONV_CLASSES = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose']);

/** The layer lookup is core-tensor's (one for Grad-CAM, the metrics and insertSmoothing). */
export { allLayers, findLayer } from '@trustgrad/core-tensor';

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

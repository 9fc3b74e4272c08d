import type * as tfl from '@tensorflow/tfjs-layers';
import { ShapeError } from '@trustgrad/core-tensor';
import { formatShape } from './format-shape';

/**
 * The one `[batch, height, width, channels]` shape a smoothing layer takes, with its
 * channel count known; a {@link ShapeError} naming the layer otherwise.
 */
export function singleFeatureMapShape(
  inputShape: tfl.Shape | tfl.Shape[],
  name: string,
): tfl.Shape {
  const shapes = Array.isArray(inputShape[0])
    ? (inputShape as tfl.Shape[])
    : [inputShape as tfl.Shape];
  if (shapes.length !== 1) {
    throw new ShapeError(`layer "${name}" takes one feature map, got ${shapes.length} inputs`);
  }
  const shape = shapes[0];
  if (shape.length !== 4) {
    throw new ShapeError(
      `layer "${name}" smooths [batch, height, width, channels] feature maps, got shape [${formatShape(shape)}]; ` +
        'insert it after a conv/pool layer (channels-last)',
    );
  }
  if (shape[3] === null) {
    throw new ShapeError(
      `layer "${name}" needs a known channel count, got shape [${formatShape(shape)}]`,
    );
  }
  return shape;
}

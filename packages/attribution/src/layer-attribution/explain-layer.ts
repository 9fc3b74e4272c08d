import type * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '@trustgrad/core-tensor';
import type {
  AttributionInfo,
  AttributionResult,
  ExplainOptions,
} from '../core/attribution-method';
import { runAttribution } from '../core/explain';
import type { ModelLike } from '../model/model-like';
import {
  type LayerAttributionMethod,
  type LayerOptions,
  layerAttributionRegistry,
} from './layer-attribution-method';

/**
 * Attributes `model`'s decision on `x` to the output of one layer with a
 * layer method (a name in `layerAttributionRegistry` or a method object).
 * Options as `explain` (`target`, `output`, `batchSize`, the method's own)
 * plus the required `layer`. Returns `{ attributions, info }` with
 * `attributions` shaped like the layer's output `[b, ...]`; the caller owns
 * every tensor.
 *
 * @example
 * const { attributions, info } = explainLayer('layer-ig', model, x, { layer: 'conv2', steps: 32 });
 */
export function explainLayer<O extends LayerOptions, I extends AttributionInfo>(
  method: string | LayerAttributionMethod<O, I>,
  model: ModelLike,
  x: tf.Tensor,
  options: ExplainOptions<O>,
): AttributionResult<I> {
  const resolved: LayerAttributionMethod<O, I> =
    typeof method === 'string'
      ? (layerAttributionRegistry.get(method) as unknown as LayerAttributionMethod<O, I>)
      : method;
  return runAttribution(resolved, model, x, options, (shape) => {
    if (shape[0] !== x.shape[0]) {
      throw new ShapeError(
        `layer attribution method "${resolved.name}" returned shape [${shape.join(', ')}] for a batch of ${x.shape[0]}; ` +
          'a layer map must have one row per sample',
      );
    }
  });
}

import { type DefineOptions, registerUnlessTold, sharedRegistry } from '@trustgrad/core-tensor';
import type { AttributionInfo, AttributionMethod } from '../core/attribution-method';

/** Options every layer attribution method has: the layer whose output is attributed. */
export interface LayerOptions {
  /** Name (or index into `model.layers`) of the layer, found with core-tensor's `findLayer`. Required. */
  layer: string | number | undefined;
}

/**
 * A layer attribution method: the same plain object as an
 * {@link AttributionMethod}, whose map has the shape of a layer's output
 * `[b, ...]` instead of the input's, run by `explainLayer`.
 */
export type LayerAttributionMethod<
  O extends LayerOptions = LayerOptions,
  I extends AttributionInfo = AttributionInfo,
> = AttributionMethod<O, I>;

// biome-ignore lint/suspicious/noExplicitAny: the registry holds methods of any option type.
export type AnyLayerAttributionMethod = LayerAttributionMethod<any, AttributionInfo>;

/**
 * The registry of layer attribution methods (`layer-gradient`,
 * `layer-gradient-x-activation`, `layer-ig`), keyed by kebab-case name; run
 * them with `explainLayer(name, model, x, { layer })`. Shared through
 * `globalThis` by every copy of the package.
 */
export const layerAttributionRegistry = sharedRegistry<AnyLayerAttributionMethod>(
  'layer-attribution',
  { keyStyle: 'kebab-case', label: 'layer attribution method' },
);

/**
 * Creates a layer attribution method (a plain, frozen object) and registers it
 * in `layerAttributionRegistry` (unless `{ register: false }`). Its defaults
 * must include `layer`.
 *
 * @example
 * defineLayerAttribution({ name: 'layer-activation', description: 'the layer output A', defaults: { layer: undefined },
 *   explain: (ctx, x, o) => layerActivations(ctx, x, resolveLayer(ctx, o.layer, 'layer-activation')) });
 */
export function defineLayerAttribution<
  O extends LayerOptions,
  I extends AttributionInfo = AttributionInfo,
>(method: LayerAttributionMethod<O, I>, options: DefineOptions = {}): LayerAttributionMethod<O, I> {
  const plugin = Object.freeze({ ...method, defaults: Object.freeze({ ...method.defaults }) });
  registerUnlessTold(
    layerAttributionRegistry,
    plugin as unknown as AnyLayerAttributionMethod,
    options,
  );
  return plugin;
}

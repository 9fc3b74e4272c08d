import type * as tf from '@tensorflow/tfjs-core';
import { type DefineOptions, registerUnlessTold } from '@trustgrad/core-tensor';
import type { OutputKind, TargetSpec } from '../model/target-quantity';
import { type AnyAttributionMethod, attributionRegistry } from './attribution-registry';
import type { ExplainContext } from './explain-context';

/** Options every attribution method accepts, whatever its own options are. */
export interface CommonExplainOptions {
  /** Class to explain per sample (a number, one per sample, or an int `[b]` tensor). Default: the predicted class. */
  target?: TargetSpec;
  /** Explained quantity: target `'logit'` (default), `'prob'` or cross-entropy `'loss'`. */
  output?: OutputKind;
  /** Most images per forward/backward pass; methods that evaluate many points (IG, SmoothGrad) chunk by it. Default 64. */
  batchSize?: number;
}

/** Extra tensors a method returns next to its map (IG: the completeness gap). */
export type AttributionInfo = Record<string, tf.Tensor>;

/** A map and the method's extra outputs. The caller owns (and disposes) every tensor. */
export interface AttributionResult<I extends AttributionInfo = AttributionInfo> {
  /** The attribution map, same shape as the input `[b, ...]`. */
  attributions: tf.Tensor;
  /** Method-specific extras, e.g. `{ completenessGap: [b] }` for Integrated Gradients. */
  info: I;
}

/**
 * An attribution method: a plain object with a name, its own option defaults
 * and an `explain` function. Make one with {@link defineAttribution}.
 *
 * `explain(ctx, x, options)` receives the input batch `x` (`[b, ...]`), the
 * merged options (common + the method's own, defaults filled in), and a
 * {@link ExplainContext} with the model as a logits function, the resolved
 * targets and chunked gradient helpers. It returns the map (same shape as `x`)
 * or `{ attributions, info }`. It may create tensors freely: `explain()` runs it
 * inside `tf.tidy` and keeps only what it returns.
 */
export interface AttributionMethod<
  O extends object = Record<string, unknown>,
  I extends AttributionInfo = AttributionInfo,
> {
  /** Registry key, kebab-case; the built-ins use the results-contract names (`vg`, `ig`, `gradcam`, ...). */
  readonly name: string;
  /** One line saying what the method computes and where it comes from. */
  readonly description: string;
  /**
   * Every option of the method with its default; the keys are also the list of
   * accepted options (a misspelt option fails instead of being ignored). May
   * also override a common default, e.g. `output: 'loss'`.
   */
  readonly defaults: Readonly<O>;
  /** Computes the map for `x`; see the interface docs. */
  explain(
    ctx: ExplainContext,
    x: tf.Tensor,
    options: O & Required<Omit<CommonExplainOptions, 'target'>>,
  ): tf.Tensor | AttributionResult<I>;
}

/** Options a caller passes to a method `O`: the common ones plus any of `O`. */
export type ExplainOptions<O extends object = Record<string, unknown>> = CommonExplainOptions &
  Partial<O>;

/**
 * Creates an attribution method (a plain, frozen object) and registers it in
 * `attributionRegistry` (unless `{ register: false }`), so `explain('<name>')`,
 * the bench, the metrics and the CLI find it. Built-in methods are made the
 * same way (with `replace: true`, so a re-evaluated module stays idempotent).
 * Fails on a duplicate name unless `replace: true`.
 *
 * @example
 * const gradientSign = defineAttribution({
 *   name: 'gradient-sign',
 *   description: 'sign of the vanilla gradient, sign(∂f_t/∂x)',
 *   defaults: {},
 *   explain: (ctx, x) => tf.sign(ctx.gradient(x)),
 * });
 * explain('gradient-sign', model, x);
 */
export function defineAttribution<O extends object, I extends AttributionInfo = AttributionInfo>(
  method: AttributionMethod<O, I>,
  options: DefineOptions = {},
): AttributionMethod<O, I> {
  const plugin = Object.freeze({ ...method, defaults: Object.freeze({ ...method.defaults }) });
  registerUnlessTold(attributionRegistry, plugin as unknown as AnyAttributionMethod, options);
  return plugin;
}

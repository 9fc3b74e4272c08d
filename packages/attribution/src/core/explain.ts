import * as tf from '@tensorflow/tfjs-core';
import {
  assertFinite,
  EmptyBatchError,
  InvalidOptionError,
  resolveOptions,
  ShapeError,
} from '@trustgrad/core-tensor';
import { isLayersModel, type ModelLike, toLogitsFunction } from '../model/model-like';
import { OUTPUT_KINDS, resolveTargets } from '../model/target-quantity';
import type {
  AttributionInfo,
  AttributionMethod,
  AttributionResult,
  CommonExplainOptions,
  ExplainOptions,
} from './attribution-method';
import { type AnyAttributionMethod, attributionRegistry } from './attribution-registry';
import { createExplainContext } from './explain-context';

/** Defaults of the options every method accepts. */
export const COMMON_DEFAULTS: Readonly<Required<Omit<CommonExplainOptions, 'target'>>> =
  Object.freeze({
    output: 'logit',
    batchSize: 64,
  });

/**
 * Explains `model`'s decision on `x` with `method` (a registered name or a
 * method object) and returns the attribution map, same shape as `x`.
 *
 * - `x`: an input batch `[b, ...]` (NHWC images `[b, h, w, c]` for image models).
 * - `target`: class per sample; default the predicted class `argmax f(x)`.
 * - `output`: explain the target `'logit'` (default), `'prob'` or `'loss'`.
 * - `batchSize`: most images per forward/backward pass (default 64).
 * - plus the method's own options (see its `defaults`).
 *
 * The caller owns the returned tensor. Method extras (IG's completeness gap)
 * come from {@link explainWithInfo}.
 *
 * Fails before running the model with a typed error on: an unknown option
 * (`InvalidOptionError`), a non-batch or non-float32 `x` or, for a
 * `LayersModel`, an `x` whose rank or `[h, w, c]` differ from the model's
 * input (`ShapeError`), an empty batch (`EmptyBatchError`) and NaN/±Infinity in
 * `x` (`NonFiniteInputError`; one reduction + one sync per call).
 *
 * @example
 * const ig = explain('ig', model, x, { steps: 64, rule: 'gauss-legendre' });
 */
export function explain<O extends object>(
  method: string | AttributionMethod<O, AttributionInfo>,
  model: ModelLike,
  x: tf.Tensor,
  options: ExplainOptions<O> = {},
): tf.Tensor {
  const { attributions, info } = explainWithInfo(method, model, x, options);
  for (const t of Object.values(info)) t.dispose();
  return attributions;
}

/**
 * Like {@link explain} but also returns the method's extras:
 * `{ attributions, info }`, e.g. `info.completenessGap` (`[b]`) for Integrated
 * Gradients. The caller owns every returned tensor.
 *
 * @example
 * const { attributions, info } = explainWithInfo(integratedGradients, model, x);
 * info.completenessGap.print(); // Σ attr − (f_t(x) − f_t(baseline)) per sample
 */
export function explainWithInfo<O extends object, I extends AttributionInfo>(
  method: string | AttributionMethod<O, I>,
  model: ModelLike,
  x: tf.Tensor,
  options: ExplainOptions<O> = {},
): AttributionResult<I> {
  const resolved: AttributionMethod<O, I> =
    typeof method === 'string'
      ? (attributionRegistry.get(method) as unknown as AttributionMethod<O, I>)
      : method;
  return runAttribution(resolved, model, x, options, (shape) => {
    if (shape.length !== x.rank || shape.some((d, i) => d !== x.shape[i])) {
      throw new ShapeError(
        `attribution method "${resolved.name}" returned shape [${shape.join(', ')}] for input [${x.shape.join(', ')}]; ` +
          'an attribution map must have the shape of its input',
      );
    }
  });
}

/**
 * The checks and bookkeeping of every explain call (options merged and
 * validated, `x` checked, targets resolved, the method run in `tf.tidy`);
 * `checkShape` validates the returned map's shape. Shared by `explain` and
 * `explainLayer`.
 */
export function runAttribution<O extends object, I extends AttributionInfo>(
  resolved: AttributionMethod<O, I>,
  model: ModelLike,
  x: tf.Tensor,
  options: ExplainOptions<O>,
  checkShape: (shape: number[]) => void,
): AttributionResult<I> {
  const merged = mergeOptions(
    resolved as unknown as AnyAttributionMethod,
    options as Record<string, unknown>,
  );
  if (!(x instanceof tf.Tensor) || x.rank < 2) {
    throw new ShapeError(
      `x must be a batch tensor [batch, ...] (e.g. [b, h, w, c]); got ${
        x instanceof tf.Tensor ? `shape [${x.shape.join(', ')}]` : typeof x
      }. Add a batch axis with tf.expandDims(x, 0)`,
    );
  }
  if (x.shape[0] === 0) {
    throw new EmptyBatchError(
      `explain(): x is an empty batch (shape [${x.shape.join(', ')}]); pass at least one sample`,
    );
  }
  if (x.dtype !== 'float32') {
    throw new ShapeError(`x has dtype ${x.dtype}, expected float32; convert it with x.toFloat()`);
  }
  checkModelInput(model, x);
  assertFinite(x, 'explain(): x');
  const logits = toLogitsFunction(model);
  const targets = resolveTargets(options.target, x, logits, merged.batchSize);
  try {
    const ctx = createExplainContext(model, logits, targets, merged.output, merged.batchSize);
    return tf.tidy(() => {
      const out = resolved.explain(ctx, x, merged as O & typeof merged);
      const result: AttributionResult<I> =
        out instanceof tf.Tensor ? { attributions: out, info: {} as I } : out;
      if (!(result.attributions instanceof tf.Tensor)) {
        throw new ShapeError(
          `attribution method "${resolved.name}" returned no tensor; explain() must return a tensor or { attributions, info }`,
        );
      }
      checkShape(result.attributions.shape);
      return { attributions: result.attributions, info: result.info ?? ({} as I) };
    });
  } finally {
    targets.dispose();
  }
}

/**
 * A LayersModel declares its input `[null, h, w, c]`: an `x` of another rank
 * or size would fail deep inside tfjs with an untyped error, so say it here.
 */
function checkModelInput(model: ModelLike, x: tf.Tensor): void {
  if (!isLayersModel(model) || model.inputs.length !== 1) return;
  const expected = model.inputs[0].shape;
  const ok =
    expected.length === x.rank &&
    expected.every((d, i) => i === 0 || d === null || d === x.shape[i]);
  if (!ok) {
    const want = `[batch, ${expected
      .slice(1)
      .map((d) => d ?? '*')
      .join(', ')}]`;
    throw new ShapeError(
      `explain(): x has shape [${x.shape.join(', ')}] but model "${model.name}" takes ${want}; ` +
        (expected.length === x.rank
          ? 'resize the images or convert their channels (e.g. tf.image.grayscaleToRGB) to match'
          : 'give an NHWC batch (add a batch axis with tf.expandDims(x, 0) for one image)'),
    );
  }
}

/** Common defaults < method defaults < caller options; fails on options the method does not know. */
function mergeOptions(
  method: AnyAttributionMethod,
  options: Record<string, unknown>,
): Record<string, unknown> & Required<Omit<CommonExplainOptions, 'target'>> {
  const merged = resolveOptions(
    `attribution method "${method.name}"`,
    { ...COMMON_DEFAULTS, ...method.defaults } as Record<string, unknown>,
    options,
    ['target'],
  ) as Record<string, unknown> & Required<Omit<CommonExplainOptions, 'target'>>;
  if (!OUTPUT_KINDS.includes(merged.output)) {
    throw new InvalidOptionError(
      `output "${String(merged.output)}" is not supported; use one of ${OUTPUT_KINDS.join(', ')}`,
    );
  }
  if (!Number.isInteger(merged.batchSize) || merged.batchSize < 1) {
    throw new InvalidOptionError(
      `batchSize must be a positive integer, got ${String(merged.batchSize)}`,
    );
  }
  return merged;
}

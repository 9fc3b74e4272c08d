import type * as tf from '@tensorflow/tfjs-core';
import {
  assertFinite,
  assertRank,
  type DefineOptions,
  EmptyBatchError,
  InvalidOptionError,
  NonFiniteValueError,
  registerUnlessTold,
  resolveOptions,
  SeededRandom,
  ShapeError,
  sharedRegistry,
} from '@trustgrad/core-tensor';
import { bootstrapMeanCi } from '../statistics/bootstrap';
import { checkExplanation } from './check-explanation';
import { mapBatchesAsync } from './map-batches-async';
import type { MetricContext, MetricInput, ResolvedMetricContext } from './metric-context';
import { MissingMetricInputError } from './metric-errors';

/** What a metric's `compute` returns: one value per sample (or per valid sample) and extras. */
export interface MetricValues {
  values: ArrayLike<number>;
  /** Metric-specific details (kept perturbation counts, sample indices, curves, ...). */
  extra?: Record<string, unknown>;
}

/** A metric's result. */
export interface MetricResult {
  name: string;
  /** Per-sample values. */
  values: number[];
  mean: number;
  /** Percentile-bootstrap confidence interval of the mean (95% by default). */
  ci: [number, number];
  higherIsBetter: boolean;
  /** Metric-specific details; stability metrics add `log10: { values, mean, ci }`. */
  extra?: Record<string, unknown>;
}

/** What {@link defineMetric} takes. */
export interface MetricSpec<O extends object = Record<string, never>> {
  /** Registry key; the camelCase key of the results table (`gini`, `ris`, ...). */
  name: string;
  /** One line: what it measures, the formula or paper. */
  description: string;
  higherIsBetter: boolean;
  /** Context inputs the metric needs; `explanations` is also satisfied by `explain`. */
  requires: readonly MetricInput[];
  /** Default options; every option key a caller may pass must appear here. */
  defaults: O;
  /** Also report `log10` of every value (the stability ratios span decades). */
  reportLog10?: boolean;
  /** Computes per-sample values. Receives a validated context and options merged over `defaults`. */
  compute(ctx: ResolvedMetricContext, options: O): MetricValues | Promise<MetricValues>;
}

/** A registered metric: its spec plus `evaluate` and `missingInputs`. */
export interface Metric<O extends object = Record<string, never>> extends MetricSpec<O> {
  /** Validates the context, computes, bootstraps the mean's CI. */
  evaluate(ctx: MetricContext, options?: Partial<O>): Promise<MetricResult>;
  /** The required inputs `ctx` lacks (empty when the metric can run). */
  missingInputs(ctx: MetricContext): MetricInput[];
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds metrics of every option type.
export type AnyMetric = Metric<any>;

/**
 * Every metric, built-in or user-defined, by camelCase name (the metric keys
 * are the JSON field names of results.json). `defineMetric` registers here;
 * shared through `globalThis` by every copy of the package.
 */
export const metricRegistry = sharedRegistry<AnyMetric>('metric', { keyStyle: 'camelCase' });

/** Floor applied before `log10` so an exactly stable explanation (value 0) reports log10 = −12, not −∞. */
export const LOG10_FLOOR = 1e-12;

/**
 * Makes a metric plugin from a plain spec and registers it in
 * {@link metricRegistry} (unless `{ register: false }`; a duplicate name fails
 * unless `{ replace: true }`), so `evaluateMetric(name, ...)` and the bench
 * find it. The built-ins are made the same way.
 *
 * @example
 * const meanAbs = defineMetric({
 *   name: 'meanAbs', description: 'mean |attribution|', higherIsBetter: false,
 *   requires: ['explanations'], defaults: {},
 *   compute: (ctx) => ({ values: tf.tidy(() => tf.mean(tf.abs(ctx.explanations!), [1, 2, 3])).dataSync() }),
 * });
 * await meanAbs.evaluate({ explanations }); // { name, values, mean, ci, higherIsBetter }
 */
export function defineMetric<O extends object>(
  spec: MetricSpec<O>,
  options: DefineOptions = {},
): Metric<O> {
  if (!spec.name) throw new InvalidOptionError('defineMetric needs a non-empty name');
  const metric: Metric<O> = {
    ...spec,
    defaults: Object.freeze({ ...spec.defaults }),
    missingInputs: (ctx) => missingInputs(spec.requires, ctx),
    evaluate: (ctx, given) => evaluate(metric, ctx, given ?? {}),
  };
  return registerUnlessTold(metricRegistry as never, Object.freeze(metric), options);
}

/** Looks a metric up by name (failing with the known names) and evaluates it. */
export function evaluateMetric(
  name: string,
  ctx: MetricContext,
  options: Record<string, unknown> = {},
): Promise<MetricResult> {
  return metricRegistry.get(name).evaluate(ctx, options);
}

function missingInputs(requires: readonly MetricInput[], ctx: MetricContext): MetricInput[] {
  return requires.filter((input) =>
    input === 'explanations' ? !ctx.explanations && !ctx.explain : ctx[input] === undefined,
  );
}

async function evaluate<O extends object>(
  metric: Metric<O>,
  ctx: MetricContext,
  options: Partial<O>,
): Promise<MetricResult> {
  const { resolved, options: merged } = prepareMetric(metric, ctx, options);
  let computedExplanations: tf.Tensor4D | undefined;
  try {
    if (metric.requires.includes('explanations') && !ctx.explanations) {
      computedExplanations = await explainAll(resolved);
      resolved.explanations = computedExplanations;
    }
    return metricResult(metric, resolved, await metric.compute(resolved, merged));
  } finally {
    computedExplanations?.dispose();
  }
}

/** A metric's validated context and merged options, ready for `compute`. */
export interface PreparedMetric<O extends object> {
  resolved: ResolvedMetricContext;
  options: O;
}

/**
 * The checks and defaults `evaluate` applies before computing: fails with
 * {@link MissingMetricInputError} when `ctx` lacks a required input, with
 * `InvalidOptionError` on an unknown option, merges `options` over the
 * metric's defaults and resolves the context (seed, batchSize, dataRange,
 * a fresh `SeededRandom(seed)`, input shape checks, and `NonFiniteInputError`
 * when `x` holds NaN/±Infinity: one reduction + sync per call). It does not compute
 * missing explanations. For code that computes several metrics in one pass.
 */
export function prepareMetric<O extends object>(
  metric: MetricSpec<O>,
  ctx: MetricContext,
  options: Partial<O> = {},
): PreparedMetric<O> {
  const missing = missingInputs(metric.requires, ctx);
  if (missing.length > 0) {
    throw new MissingMetricInputError(
      `metric "${metric.name}" needs ${missing.map((m) => `"${m}"`).join(', ')} in its context ` +
        `(it requires ${metric.requires.join(', ')}); provide ${missing.length > 1 ? 'them' : 'it'} ` +
        'or skip the metric (check metric.missingInputs(ctx) first)',
    );
  }
  const merged = resolveOptions(`metric "${metric.name}"`, metric.defaults, options);
  return { resolved: resolveContext(metric, ctx), options: merged };
}

/**
 * Turns computed per-sample values into the metric's result as `evaluate`
 * does: fails on a non-finite value (`NonFiniteValueError`), bootstraps the mean's CI with the
 * context's seed and `bootstrap` options, adds `extra.log10` for
 * `reportLog10` metrics.
 */
export function metricResult(
  metric: Pick<MetricSpec<object>, 'name' | 'higherIsBetter' | 'reportLog10'>,
  resolved: ResolvedMetricContext,
  { values, extra }: MetricValues,
): MetricResult {
  const list = Array.from(values);
  const bad = list.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new NonFiniteValueError(
      `metric "${metric.name}" produced ${list[bad]} for sample ${bad}; metrics must give finite values ` +
        '(this is a bug in the metric or an overflow in the model; report it with the inputs)',
    );
  }
  const bootstrap = { seed: resolved.seed, ...resolved.bootstrap };
  const { mean, ci } = bootstrapMeanCi(list, bootstrap);
  const result: MetricResult = {
    name: metric.name,
    values: list,
    mean,
    ci,
    higherIsBetter: metric.higherIsBetter,
  };
  const allExtra: Record<string, unknown> = { ...extra };
  if (metric.reportLog10) {
    const logs = list.map((v) => Math.log10(Math.max(v, LOG10_FLOOR)));
    allExtra.log10 = { values: logs, ...bootstrapMeanCi(logs, bootstrap) };
  }
  if (Object.keys(allExtra).length > 0) result.extra = allExtra;
  return result;
}

function resolveContext(
  metric: Pick<AnyMetric, 'name'>,
  ctx: MetricContext,
): ResolvedMetricContext {
  const seed = ctx.seed ?? 0;
  const batchSize = ctx.batchSize ?? 256;
  const dataRange = ctx.dataRange ?? [0, 1];
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidOptionError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  if (!(dataRange[1] > dataRange[0])) {
    throw new InvalidOptionError(
      `dataRange must be [min, max] with max > min, got [${dataRange.join(', ')}]`,
    );
  }
  const label = `metric "${metric.name}"`;
  const { x, y, explanations, mask } = ctx;
  if (x) {
    assertRank(x, 4, `${label}: x`, 'expected an NHWC batch [n, h, w, c]');
    if (x.shape[0] === 0) {
      throw new EmptyBatchError(
        `${label}: x is an empty batch (shape [${x.shape.join(', ')}]); pass at least one sample`,
      );
    }
    assertFinite(x, `${label}: x`);
  }
  if (explanations) {
    checkExplanation(explanations, x, `${label}: explanations`);
  }
  if (y) {
    assertRank(
      y,
      1,
      `${label}: y`,
      'expected class indices [n] (use tf.argMax(oneHot, 1) for one-hot labels)',
    );
    if (x && y.shape[0] !== x.shape[0]) {
      throw new ShapeError(
        `${label}: y has ${y.shape[0]} labels but x has ${x.shape[0]} samples; they must match`,
      );
    }
  }
  if (mask) checkMask(mask, x, label);
  return {
    ...ctx,
    seed,
    batchSize,
    dataRange: [dataRange[0], dataRange[1]],
    rng: new SeededRandom(seed),
  };
}

function checkMask(mask: tf.Tensor, x: tf.Tensor4D | undefined, label: string): void {
  const s = mask.shape;
  const ok =
    (mask.rank === 3 || mask.rank === 4) &&
    (!x || (s[0] === x.shape[0] && s[1] === x.shape[1] && s[2] === x.shape[2])) &&
    (mask.rank === 3 || !x || s[3] === 1 || s[3] === x.shape[3]);
  if (!ok) {
    throw new ShapeError(
      `${label}: mask has shape [${s.join(', ')}], expected [n, h, w], [n, h, w, 1] or x's shape` +
        (x ? ` [${x.shape.join(', ')}]` : ''),
    );
  }
  if (s[0] === 0)
    throw new EmptyBatchError(`${label}: mask is an empty batch; pass one mask per sample`);
}

async function explainAll(ctx: ResolvedMetricContext): Promise<tf.Tensor4D> {
  const x = ctx.x;
  if (!x) {
    throw new MissingMetricInputError(
      'explanations must be given when x is not (the runner explains x with explain)',
    );
  }
  const explain = ctx.explain!;
  return (await mapBatchesAsync(x, ctx.batchSize, async (chunk) => {
    const e = await explain(chunk);
    checkExplanation(e, chunk, 'explain(x)');
    return e;
  })) as tf.Tensor4D;
}

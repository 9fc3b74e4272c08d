import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, type SeededRandom } from '@trustgrad/core-tensor';
import type { AttackContext, AttackLoss } from './attack';
import { l2NormPerSample, normaliseL2, projectL2, projectLinf } from './norm-ball';
import { pixelWeights, weighted } from './pixel-weights';
import { checkRestarts, cleanRobustness, robustSubBatch } from './robust-rows';
import {
  gatherIfPerSample,
  gatherRows,
  rejectOptions,
  scatterRows,
  selectRows,
} from './sample-rows';

/** Extra options of the APGD attacks (`apgd-ce`, `apgd-dlr`, `apgd-t`). */
export interface ApgdOptions {
  /** Threat model: `'linf'` (default) or `'l2'`. */
  norm: 'linf' | 'l2';
  /** Runs from fresh random starts on the samples still robust (`n_restarts`). Default 1. */
  restarts: number;
  /** ρ: a checkpoint halves the step when fewer than ρ·(window) steps raised the loss. Default 0.75. */
  rho: number;
}

/** APGD's defaults, as AutoAttack's `APGDAttack` (n_iter 100, rho 0.75, one restart). */
export const APGD_DEFAULTS = { steps: 100, norm: 'linf', restarts: 1, rho: 0.75 } as const;

/** APGD's initial step η⁰ = 2ε as a fraction of ε (AutoAttack's `2 * eps`): every APGD attack's `defaultStepSize`. */
export const apgdDefaultStepSize = (): number => 2;

/** Momentum α of APGD's update (fixed in the paper and the reference). */
const MOMENTUM = 0.75;

/** One checkpoint of APGD: after `at` iterations, judged over the last `window` of them. */
export interface ApgdCheckpoint {
  at: number;
  window: number;
}

/**
 * APGD's checkpoints for `steps` iterations (Croce & Hein 2020, §3.2):
 * `p₀ = 0, p₁ = 0.22, p_{j+1} = p_j + max(p_j − p_{j−1} − 0.03, 0.06)`, as
 * `autopgd_base.py` counts them: windows `⌊0.22N⌋`, then shrinking by `⌊0.03N⌋`
 * down to `⌊0.06N⌋` (each at least 1). For N = 100: 22, 41, 57, 70, 80, 87, 93, 99.
 */
export function apgdCheckpoints(steps: number): ApgdCheckpoint[] {
  const first = Math.max(Math.floor(0.22 * steps), 1);
  const least = Math.max(Math.floor(0.06 * steps), 1);
  const shrink = Math.max(Math.floor(0.03 * steps), 1);
  const out: ApgdCheckpoint[] = [];
  let window = first;
  for (let at = first; at <= steps; at += window) {
    out.push({ at, window });
    window = Math.max(window - shrink, least);
  }
  return out;
}

/** What a checkpoint knows about each sample: the loss history and the best loss now and at the last checkpoint. */
export interface CheckpointState {
  /** `lossSteps[i][s]`: loss of sample `s` after iteration `i`, `steps` rows (rows not yet run are 0). */
  lossSteps: readonly Float32Array[];
  /** Best loss per sample now. */
  lossBest: Float32Array;
  /** Best loss per sample at the previous checkpoint (the start's loss before the first). */
  lossBestLastCheck: Float32Array;
  /** Whether the previous checkpoint halved the sample's step. */
  reducedLastCheck: readonly boolean[];
}

/**
 * Which samples halve their step at the checkpoint after iteration `i` (0-based)
 * with window `k` (Croce & Hein 2020, conditions 1 and 2):
 * 1. the loss rose in at most `ρ·k` of the last `k` steps
 *    (`Σ_{c<k} [L(x^{i−c}) > L(x^{i−c−1})] ≤ ρk`), or
 * 2. the step was not halved at the previous checkpoint and the best loss has not
 *    improved since.
 * As `check_oscillation` of `autopgd_base.py`, the comparison before the first
 * iteration reads the history's last row (0 until written; Python's index −1).
 */
export function stepHalvings(state: CheckpointState, i: number, k: number, rho: number): boolean[] {
  const rows = state.lossSteps.length;
  const row = (j: number) => state.lossSteps[(j + rows) % rows];
  return Array.from(state.lossBest, (best, s) => {
    let rises = 0;
    for (let c = 0; c < k; c++) if (row(i - c)[s] > row(i - c - 1)[s]) rises++;
    const oscillating = rises <= k * rho;
    const stalled = !state.reducedLastCheck[s] && state.lossBestLastCheck[s] >= best;
    return oscillating || stalled;
  });
}

/** A per-sample loss of logits, `[batch, classes] → [batch]`, ascended by APGD. */
export type LogitLoss = (logits: tf.Tensor2D) => tf.Tensor1D;

interface Evaluation {
  loss: Float32Array;
  predicted: Int32Array;
  grad: tf.Tensor4D;
}

/** Per-sample loss, predicted class and `∇ₓ Σ_i loss_i` at `x`, from one forward and one backward pass. */
function evaluate(model: tfl.LayersModel, lossOf: LogitLoss, x: tf.Tensor4D): Evaluation {
  let perSample: tf.Tensor1D | undefined;
  let predicted: tf.Tensor1D | undefined;
  const { value, grad } = tf.valueAndGrad((xi: tf.Tensor) => {
    const logits = model.apply(xi, { training: false }) as tf.Tensor2D;
    perSample = tf.keep(lossOf(logits));
    predicted = tf.keep(tf.argMax(logits, 1) as tf.Tensor1D);
    return tf.sum(perSample) as tf.Scalar;
  })(x);
  value.dispose();
  const out = {
    loss: (perSample as tf.Tensor1D).dataSync() as Float32Array,
    predicted: (predicted as tf.Tensor1D).dataSync() as Int32Array,
    grad: grad as tf.Tensor4D,
  };
  tf.dispose([perSample as tf.Tensor, predicted as tf.Tensor]);
  return out;
}

/** One APGD problem: a sub-batch of the samples still robust and its per-sample settings. */
interface ApgdRun {
  model: tfl.LayersModel;
  x: tf.Tensor4D;
  labels: readonly number[];
  lossOf: LogitLoss;
  /** `[n,1,1,1]` radii and initial step sizes η⁰. */
  eps: tf.Tensor4D;
  step0: tf.Tensor4D;
  steps: number;
  norm: 'linf' | 'l2';
  rho: number;
  randomStart: boolean;
  mask: tf.Tensor | undefined;
  weights: tf.Tensor | undefined;
  clip: (t: tf.Tensor) => tf.Tensor4D;
  rng: SeededRandom;
}

interface ApgdResult {
  /** Highest-loss point per sample. */
  xBest: tf.Tensor4D;
  /** The last misclassified point per sample (the start for samples never fooled). */
  xBestAdv: tf.Tensor4D;
  fooled: boolean[];
  lossBest: Float32Array;
}

/** Projects `t` onto the ball around `x` and into the data range. */
function project(run: ApgdRun, t: tf.Tensor): tf.Tensor4D {
  const delta = tf.sub(t, run.x);
  const inBall = run.norm === 'linf' ? projectLinf(delta, run.eps) : projectL2(delta, run.eps);
  return run.clip(tf.add(run.x, inBall));
}

/** APGD's start: `x + ε·t/‖t‖`, `t ~ U(−1,1)^d` (L∞) or `N(0, I)` (L2), masked; `x` without random start. */
function start(run: ApgdRun): tf.Tensor4D {
  return tf.tidy(() => {
    if (!run.randomStart) return tf.clone(run.x);
    const shape = run.x.shape;
    const t = weighted(
      run.norm === 'linf' ? run.rng.uniformTensor(shape, -1, 1) : run.rng.normalTensor(shape),
      run.mask,
    );
    const size = run.norm === 'linf' ? tf.max(tf.abs(t), [1, 2, 3], true) : l2NormPerSample(t);
    return run.clip(tf.add(run.x, tf.mul(run.eps, tf.div(t, tf.add(size, 1e-12)))));
  });
}

/** One run of Algorithm 1 of Croce & Hein (2020) on a sub-batch, as `attack_single_run`. */
function apgdSingleRun(run: ApgdRun): ApgdResult {
  const n = run.x.shape[0];
  const checkpoints = apgdCheckpoints(run.steps);
  const stepScale = new Float32Array(n).fill(1);
  let xAdv = start(run);
  let { loss, predicted, grad } = evaluate(run.model, run.lossOf, xAdv);
  const correct = Array.from(predicted, (p, s) => p === run.labels[s]);
  let xAdvOld = tf.clone(xAdv);
  let xBest = tf.clone(xAdv);
  let xBestAdv = tf.clone(xAdv);
  let gradBest = tf.clone(grad);
  const lossBest = Float32Array.from(loss);
  let lossBestLastCheck = Float32Array.from(loss);
  let reducedLastCheck = new Array<boolean>(n).fill(true);
  const lossSteps = Array.from({ length: run.steps }, () => new Float32Array(n));
  const replace = <T extends tf.Tensor>(old: T, next: T): T => {
    old.dispose();
    return next;
  };

  for (let i = 0; i < run.steps; i++) {
    // x^{k+1} = P(x^k + α(z^{k+1} − x^k) + (1 − α)(x^k − x^{k−1})), z^{k+1} = P(x^k + η ∇̂), α = 1 at k = 0.
    const a = i > 0 ? MOMENTUM : 1;
    const next = tf.tidy(() => {
      const eta = tf.mul(run.step0, tf.tensor4d(stepScale, [n, 1, 1, 1]));
      // L∞: sign of the gradient; L2: the gradient over its norm (masked/weighted first).
      const direction =
        run.norm === 'linf'
          ? weighted(tf.sign(grad), run.weights)
          : normaliseL2(weighted(grad, run.weights));
      const z = project(run, tf.add(xAdv, tf.mul(eta, direction)));
      const momentum = tf.mul(1 - a, tf.sub(xAdv, xAdvOld));
      return project(run, tf.add(tf.add(xAdv, tf.mul(a, tf.sub(z, xAdv))), momentum));
    });
    xAdvOld = replace(xAdvOld, xAdv);
    xAdv = next;
    grad.dispose();
    ({ loss, predicted, grad } = evaluate(run.model, run.lossOf, xAdv));

    const misclassified = Array.from(predicted, (p, s) => p !== run.labels[s]);
    misclassified.forEach((m, s) => {
      if (m) correct[s] = false;
    });
    xBestAdv = replace(xBestAdv, selectRows(misclassified, xAdv, xBestAdv));
    lossSteps[i].set(loss);
    const improved = Array.from(loss, (l, s) => l > lossBest[s]);
    improved.forEach((up, s) => {
      if (up) lossBest[s] = loss[s];
    });
    xBest = replace(xBest, selectRows(improved, xAdv, xBest));
    gradBest = replace(gradBest, selectRows(improved, grad, gradBest));

    const checkpoint = checkpoints.find((c) => c.at === i + 1);
    if (checkpoint) {
      const halve = stepHalvings(
        { lossSteps, lossBest, lossBestLastCheck, reducedLastCheck },
        i,
        checkpoint.window,
        run.rho,
      );
      reducedLastCheck = halve;
      lossBestLastCheck = Float32Array.from(lossBest);
      halve.forEach((h, s) => {
        if (h) stepScale[s] /= 2;
      });
      // Halving restarts the sample from its best point (x^{k+1} ← x_max).
      if (halve.some(Boolean)) {
        xAdv = replace(xAdv, selectRows(halve, xBest, xAdv));
        grad = replace(grad, selectRows(halve, gradBest, grad));
      }
    }
  }
  tf.dispose([xAdv, xAdvOld, grad, gradBest]);
  return { xBest, xBestAdv, fooled: correct.map((c) => !c), lossBest };
}

/** How a run's loss is made for the samples it attacks: `(run number, their clean x, their labels) → loss`. */
export type ApgdLossFactory = (
  run: number,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
) => { lossOf: LogitLoss; dispose: () => void };

/** The {@link ApgdLossFactory} of an APGD attack that ascends the same `loss(logits, labels)` in every run. */
export function fixedLoss(loss: AttackLoss): ApgdLossFactory {
  return (_run, _x, labels) => ({
    lossOf: (logits) => loss(logits, labels),
    dispose: () => {},
  });
}

/**
 * APGD with restarts (Croce & Hein 2020, *Reliable evaluation of adversarial
 * robustness with an ensemble of diverse parameter-free attacks*, Algorithm 1;
 * fra31/auto-attack `autopgd_base.py`): `runs` runs, each from a fresh random
 * start and only on the samples no earlier run has fooled. Each run: step
 * η⁰ = `stepSize` (default 2ε), momentum 0.75, the step halved at the checkpoints
 * of {@link apgdCheckpoints} where {@link stepHalvings} says so (the iterate then
 * returning to its best point), the highest-loss point tracked per sample.
 *
 * Returns, per sample, the first misclassified point found; for samples never
 * fooled, the highest-loss point of all runs. (AutoAttack's `perturb` returns
 * the clean `x` for those; robust accuracy is the same, and the strongest
 * point is what adversarial training wants.)
 */
export function apgd(
  ctx: AttackContext<ApgdOptions>,
  name: string,
  runs: number,
  lossFor: ApgdLossFactory,
): tf.Tensor4D {
  const o = ctx.options;
  validateApgd(name, o);
  rejectOptions(ctx, name, {
    targeted: `${name} is untargeted (apgd-t picks its own targets)`,
    init: `${name} starts each restart at a random point of the ball`,
  });
  const batch = ctx.x.shape[0];
  const { labels, robust } = cleanRobustness(ctx);
  const bestLoss = new Float32Array(batch).fill(Number.NEGATIVE_INFINITY);
  const weights = pixelWeights(ctx);
  let result = tf.clone(ctx.x);
  for (let r = 0; r < runs; r++) {
    const sub = robustSubBatch(ctx, robust);
    if (!sub) break;
    const { rows } = sub;
    const loss = lossFor(r, sub.x, sub.labels);
    const step0 = gatherRows(ctx.stepSize, rows);
    const w = gatherIfPerSample(weights, batch, rows);
    const out = apgdSingleRun({
      model: ctx.model,
      x: sub.x,
      labels: rows.map((s) => labels[s]),
      lossOf: loss.lossOf,
      eps: sub.eps,
      step0,
      steps: ctx.steps,
      norm: o.norm,
      rho: o.rho,
      randomStart: ctx.randomStart,
      mask: sub.mask,
      weights: w,
      clip: ctx.clip,
      rng: ctx.rng,
    });
    const take = out.fooled.map((f, j) => f || out.lossBest[j] > bestLoss[rows[j]]);
    rows.forEach((s, j) => {
      if (out.fooled[j]) robust[s] = false;
      else if (take[j]) bestLoss[s] = out.lossBest[j];
    });
    const chosen = selectRows(out.fooled, out.xBestAdv, out.xBest);
    const next = scatterRows(result, chosen, rows, take);
    loss.dispose();
    sub.dispose();
    tf.dispose([result, chosen, out.xBest, out.xBestAdv, step0]);
    if (w !== weights) w?.dispose();
    result = next;
  }
  return result;
}

/** Checks APGD's threat model `norm`: `'linf'` or `'l2'` (also AutoAttack's, which passes it to its APGD members). */
export function checkApgdNorm(name: string, norm: unknown): void {
  if (norm !== 'linf' && norm !== 'l2') {
    throw new InvalidOptionError(`${name}: norm must be 'linf' or 'l2', got ${String(norm)}`);
  }
}

function validateApgd(name: string, o: ApgdOptions): void {
  checkApgdNorm(name, o.norm);
  checkRestarts(name, o.restarts);
  if (!(Number.isFinite(o.rho) && o.rho > 0 && o.rho <= 1)) {
    throw new InvalidOptionError(`${name}: rho must lie in (0, 1], got ${o.rho}`);
  }
}

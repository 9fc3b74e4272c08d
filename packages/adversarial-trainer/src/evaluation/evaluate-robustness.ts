import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { SeededRandom } from '@trustgrad/core-tensor';
import { correctPredictions } from '@trustgrad/metrics';
import type { Attack, AttackOptions } from '../attacks/attack';
import { resolveAttack } from '../attacks/registry';
import type { Batch, BatchSource } from '../data/batch-source';

/** A count of correct predictions. */
export interface AccuracyCount {
  correct: number;
  total: number;
  /** `correct / total` (NaN when total is 0). */
  accuracy: number;
}

/** Result of {@link evaluateRobustness}. */
export interface RobustnessReport {
  /** Accuracy on the clean inputs. */
  clean: AccuracyCount;
  /** Accuracy on the attack's outputs (untargeted, against the true labels). */
  robust: AccuracyCount;
  attack: string;
  eps: number;
  steps: number;
}

/** Options of {@link evaluateRobustness}: the attack's options plus where to stop. */
export interface EvaluateRobustnessOptions
  extends Omit<AttackOptions, 'eps' | 'targeted' | 'target'> {
  eps: number;
  /** Stop after this many batches. Default: all. */
  maxBatches?: number;
  /** Data-order seed for a {@link BatchSource} (epoch 0). Default 0. */
  seed?: number;
}

/**
 * Clean and robust accuracy of `model` on `data`: robust accuracy counts the
 * samples whose prediction on `attack(x)` is still `y` (untargeted attack).
 * Batches from a {@link BatchSource} are disposed after use; those of a plain
 * (async) iterable stay owned by the caller. Random starts come from
 * `opts.rng` (default `new SeededRandom(0)`), so the result is reproducible.
 *
 * @example
 * const report = await evaluateRobustness(model, testBatches, 'pgd-linf', { eps: 0.1, steps: 20 });
 * report.robust.accuracy; // e.g. 0.71
 */
export async function evaluateRobustness(
  model: tfl.LayersModel,
  data: BatchSource | Iterable<Batch> | AsyncIterable<Batch>,
  // biome-ignore lint/suspicious/noExplicitAny: any attack plugin
  attack: string | Attack<any>,
  opts: EvaluateRobustnessOptions,
): Promise<RobustnessReport> {
  const plugin = resolveAttack(attack);
  const owned = isBatchSource(data);
  const batches = owned ? data.batches(0, opts.seed ?? 0, 0) : data;
  const rng = opts.rng ?? new SeededRandom(0);
  const { maxBatches = Number.POSITIVE_INFINITY, seed: _seed, ...attackOptions } = opts;
  let clean = 0;
  let robust = 0;
  let total = 0;
  let seen = 0;
  for await (const batch of batches) {
    if (seen++ >= maxBatches) {
      if (owned) tf.dispose([batch.x, batch.y]);
      break;
    }
    // Counted with the metrics' accuracy rule (labels checked against the model's classes).
    const y = tf.cast(batch.y, 'int32') as tf.Tensor1D;
    const n = batch.x.shape[0];
    try {
      const xAdv = plugin.run(model, batch.x, y, { ...attackOptions, rng, targeted: false });
      try {
        const sum = (hits: number[]) => hits.reduce((a, b) => a + b, 0);
        clean += sum(await correctPredictions(model, batch.x, y, n, 'evaluateRobustness'));
        robust += sum(await correctPredictions(model, xAdv, y, n, 'evaluateRobustness'));
      } finally {
        xAdv.dispose();
      }
    } finally {
      y.dispose();
    }
    total += batch.x.shape[0];
    if (owned) tf.dispose([batch.x, batch.y]);
  }
  const count = (correct: number): AccuracyCount => ({ correct, total, accuracy: correct / total });
  return {
    clean: count(clean),
    robust: count(robust),
    attack: plugin.name,
    eps: opts.eps,
    steps: opts.steps ?? plugin.defaults.steps ?? 10,
  };
}

function isBatchSource(data: unknown): data is BatchSource {
  return typeof (data as BatchSource).batches === 'function';
}

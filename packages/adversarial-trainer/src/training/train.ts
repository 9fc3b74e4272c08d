import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ProgressRendererOptions } from '@trustgrad/core-tensor';
import {
  assertFinite,
  assertLabelsInRange,
  InvalidOptionError,
  mixSeed,
  resolveOptions,
  SeededRandom,
} from '@trustgrad/core-tensor';
import { ATTACK_OPTION_KEYS, type Attack, type AttackOptions } from '../attacks/attack';
import { resolveAttack } from '../attacks/registry';
import {
  type Batch,
  type BatchFactory,
  type BatchSource,
  toBatchSource,
} from '../data/batch-source';
import { NonFiniteLossError } from '../errors/trainer-errors';
import { evaluateRobustness, type RobustnessReport } from '../evaluation/evaluate-robustness';
import type { Objective } from '../objectives/objective';
import { resolveObjective, resolveObjectiveOptions } from '../objectives/registry';
import { constantLr, type LearningRateSchedule } from '../schedules/learning-rate-schedule';
import type { CheckpointStore, TrainingPosition } from './checkpoint-store';
import { createOptimizer, type OptimizerConfig, setLearningRate } from './optimizer';
import { createProgressReporter, type ProgressMode } from './progress-reporter';
import { trainStep } from './train-step';
import { yieldToHost } from './yield-to-host';

/** Per-epoch robust evaluation (clean and PGD accuracy on held-out data). */
export interface EvaluationOptions {
  data: BatchSource | Iterable<Batch> | AsyncIterable<Batch>;
  /** Default `'pgd-linf'`. */
  // biome-ignore lint/suspicious/noExplicitAny: any attack plugin
  attack?: string | Attack<any>;
  /** Default: the run's `attackOptions.eps` (the dataset's ε). */
  eps?: number;
  /** Default 20 (PGD-20). */
  steps?: number;
  /** Default 2.5·ε/steps. */
  stepSize?: number;
  range?: readonly [number, number];
  /** Evaluate on at most this many batches. Default: all. */
  maxBatches?: number;
}

/** Checkpointing of a run. */
export interface CheckpointOptions {
  /** Folder holding `step-NNNNNNNNN` checkpoint folders and `latest.json`. */
  dir: string;
  /** Save every this many steps (and at the end of every epoch). Default: only at epoch ends. */
  everySteps?: number;
  /** Newest checkpoints kept. Default 2. */
  keep?: number;
}

/** Passed to `onStepEnd`. */
export interface StepInfo {
  epoch: number;
  /** Global steps completed (1 after the first step). */
  step: number;
  /** Batches of this epoch consumed. */
  batchIndex: number;
  loss: number;
  /** Training accuracy of this batch (on the objective's logits, e.g. adversarial for pgd-at). */
  accuracy: number;
  batchSize: number;
  learningRate: number;
}

/** Passed to `onEpochEnd` and listed in the result. */
export interface EpochSummary {
  epoch: number;
  /** Mean loss and training accuracy over the epoch's batches. */
  loss: number;
  accuracy: number;
  images: number;
  /** Wall time of this epoch's steps in this process (a resumed epoch counts only its remaining part). */
  seconds: number;
  evaluation?: RobustnessReport;
}

/** Options of `train()`. Only `epochs` is required. */
export interface TrainOptions {
  epochs: number;
  /** Seeds the data order, random starts and the trainer's generator. Default 0. */
  seed?: number;
  /** Cap on steps per epoch. Default: the whole source. */
  stepsPerEpoch?: number;
  /** Objective name or plugin. Default `'standard'`. */
  // biome-ignore lint/suspicious/noExplicitAny: any objective plugin
  objective?: string | Objective<any, any>;
  /** Overrides of the objective's defaults, e.g. `{ beta: 6 }` for trades. */
  objectiveOptions?: Record<string, unknown>;
  /** Attack used by adversarial objectives. Default `'pgd-linf'`. */
  // biome-ignore lint/suspicious/noExplicitAny: any attack plugin
  attack?: string | Attack<any>;
  /** Attack options for training (ε is required by adversarial objectives; steps default 7). */
  attackOptions?: Partial<Omit<AttackOptions, 'rng'>>;
  /** Default `{ name: 'momentum', momentum: 0.9 }`. */
  optimizer?: OptimizerConfig;
  /** A number or a schedule ({@link stepDecay}, {@link cosineDecay}, {@link oneCycle}). Default 0.01. */
  learningRate?: number | LearningRateSchedule;
  /** Coupled L2 weight decay on every trainable weight. Default 0. */
  weightDecay?: number;
  evaluation?: EvaluationOptions;
  checkpoint?: CheckpointOptions;
  /**
   * Continue from the newest intact checkpoint in `checkpoint.dir` when there
   * is one. Default false: the run starts over and first removes the
   * checkpoints already in `checkpoint.dir`.
   */
  resume?: boolean;
  onStepEnd?: (info: StepInfo) => void | Promise<void>;
  onEpochEnd?: (summary: EpochSummary) => void | Promise<void>;
  /** Progress display (core-tensor's renderer). Default `'auto'`: a bar on a TTY, plain lines at most every 10 s otherwise. */
  progress?: ProgressMode | ProgressRendererOptions;
  /**
   * Told about problems worked around, shown even with `progress: 'off'`: a
   * damaged or missing checkpoint skipped on resume. Default: `console.warn`.
   */
  onWarning?: (message: string) => void;
}

/** Result of `train()`. */
export interface TrainResult {
  /** Global steps completed. */
  steps: number;
  /** Summaries of the epochs run in this call. */
  epochs: EpochSummary[];
  lastCheckpoint: string | null;
  /** The checkpoint the run resumed from, or null. */
  resumedFrom: string | null;
}

interface EpochStats {
  lossSum: number;
  correct: number;
  images: number;
  batches: number;
}

/**
 * The one training loop behind both entries' `train()` (documented there):
 * the Node entry passes the checkpoint folders on disk as `checkpoints`; the
 * browser entry passes none, and then `checkpoint` and `resume` are rejected
 * before anything runs.
 */
export async function trainLoop(
  model: tfl.LayersModel,
  data: BatchSource | BatchFactory,
  options: TrainOptions,
  checkpoints: CheckpointStore | undefined,
): Promise<TrainResult> {
  const seed = options.seed ?? 0;
  const source = toBatchSource(data);
  const objective = resolveObjective(options.objective ?? 'standard');
  const objectiveOptions = resolveObjectiveOptions(objective, options.objectiveOptions);
  const attack = resolveAttack(options.attack ?? 'pgd-linf');
  const attackOptions = { steps: 7, ...options.attackOptions } as AttackOptions;
  // The attack rejects unknown keys itself; checking here fails before any setup, not at step 1.
  resolveOptions(`attack "${attack.name}"`, attack.defaults, attackOptions, ATTACK_OPTION_KEYS);
  const numClasses = outputClasses(model);
  const weightDecay = options.weightDecay ?? 0;
  const perEpoch = options.stepsPerEpoch ?? source.batchesPerEpoch;
  validate(options, objective.name, attackOptions, perEpoch, checkpoints !== undefined);
  const schedule =
    typeof options.learningRate === 'object'
      ? options.learningRate
      : constantLr(options.learningRate ?? 0.01);
  const totalSteps = perEpoch === undefined ? Number.NaN : perEpoch * options.epochs;
  const rateAt = (step: number) => {
    const rate = schedule.rate({ step, stepsPerEpoch: perEpoch ?? Number.NaN, totalSteps });
    if (!Number.isFinite(rate)) {
      throw new InvalidOptionError(
        `learning-rate schedule "${schedule.name}" gave ${rate} at step ${step}; it needs the epoch length: ` +
          'pass a BatchSource with batchesPerEpoch (e.g. toBatchSource(factory, Math.ceil(n / batchSize))) or set stepsPerEpoch',
      );
    }
    return rate;
  };
  const optimizer = createOptimizer(
    options.optimizer ?? { name: 'momentum', momentum: 0.9 },
    rateAt(0),
  );
  const progress = createProgressReporter(
    typeof options.progress === 'string' ? { mode: options.progress } : options.progress,
  );

  const rng = new SeededRandom(seed);
  let position: Omit<TrainingPosition, 'rng' | 'seed'> & { stats: EpochStats } = {
    epoch: 0,
    step: 0,
    batchIndex: 0,
    stats: emptyStats(),
  };
  let lastCheckpoint: string | null = null;
  let resumedFrom: string | null = null;
  // validate() made sure a store is there whenever checkpoint is set.
  const ckpt =
    options.checkpoint && checkpoints ? { ...options.checkpoint, store: checkpoints } : undefined;
  if (ckpt && !options.resume) ckpt.store.clear(ckpt.dir);
  if (options.resume && ckpt) {
    const warn = options.onWarning ?? ((message: string) => console.warn(`[train] ${message}`));
    const folder = ckpt.store.latest(ckpt.dir, { onFallback: warn });
    if (folder) {
      const restored = (await ckpt.store.load(folder, model, optimizer)) as TrainingPosition & {
        stats: EpochStats;
      };
      if (restored.seed !== seed) {
        throw new InvalidOptionError(
          `cannot resume from ${folder}: it was written with seed ${restored.seed} but this run has seed ${seed}; pass the same seed or another checkpoint.dir`,
        );
      }
      rng.setState(restored.rng);
      position = {
        epoch: restored.epoch,
        step: restored.step,
        batchIndex: restored.batchIndex,
        stats: restored.stats,
      };
      lastCheckpoint = resumedFrom = folder;
      progress.line(`resumed from ${folder} (epoch ${position.epoch + 1}, step ${position.step})`);
    }
  }
  const save = async (epoch: number, batchIndex: number, stats: EpochStats) => {
    if (!ckpt) return;
    const state = { epoch, step: position.step, batchIndex, seed, rng: rng.getState(), stats };
    lastCheckpoint = await ckpt.store.save(
      ckpt.dir,
      model,
      optimizer,
      state as TrainingPosition,
      ckpt.keep ?? 2,
    );
  };

  const summaries: EpochSummary[] = [];
  try {
    for (let epoch = position.epoch; epoch < options.epochs; epoch++) {
      const resuming = epoch === position.epoch;
      let batchIndex = resuming ? position.batchIndex : 0;
      const stats = resuming ? { ...position.stats } : emptyStats();
      const started = performance.now();
      let imagesHere = 0;
      if (perEpoch === undefined || batchIndex < perEpoch) {
        for await (const batch of source.batches(epoch, seed, batchIndex)) {
          const learningRate = rateAt(position.step);
          setLearningRate(optimizer, learningRate);
          const batchSize = batch.x.shape[0];
          let result: ReturnType<typeof trainStep>;
          try {
            checkBatch(batch.x, batch.y, numClasses, epoch, batchIndex);
            result = trainStep({
              model,
              optimizer,
              objective,
              objectiveOptions,
              attack,
              attackOptions,
              rng,
              x: batch.x,
              y: batch.y,
              step: position.step,
              epoch,
              weightDecay,
            });
          } finally {
            tf.dispose([batch.x, batch.y]);
          }
          if (!result.applied)
            throw new NonFiniteLossError(position.step, epoch, result.loss, lastCheckpoint);
          position.step++;
          batchIndex++;
          imagesHere += batchSize;
          stats.lossSum += result.loss;
          stats.correct += result.correct;
          stats.images += batchSize;
          stats.batches++;
          progress.step({
            epoch,
            epochs: options.epochs,
            batch: batchIndex,
            batchesPerEpoch: perEpoch,
            step: position.step,
            loss: stats.lossSum / stats.batches,
            accuracy: stats.correct / stats.images,
            imagesPerSecond: imagesHere / ((performance.now() - started) / 1000),
            learningRate,
          });
          await options.onStepEnd?.({
            epoch,
            step: position.step,
            batchIndex,
            loss: result.loss,
            accuracy: result.correct / batchSize,
            batchSize,
            learningRate,
          });
          if (ckpt?.everySteps && position.step % ckpt.everySteps === 0)
            await save(epoch, batchIndex, stats);
          // Steps are synchronous on wasm/cpu; yielding lets signals, timers and IPC (a page's events) through between them.
          await yieldToHost();
          if (perEpoch !== undefined && batchIndex >= perEpoch) break;
        }
      }
      const summary: EpochSummary = {
        epoch,
        loss: stats.lossSum / stats.batches,
        accuracy: stats.correct / stats.images,
        images: stats.images,
        seconds: (performance.now() - started) / 1000,
      };
      if (options.evaluation)
        summary.evaluation = await evaluateEpoch(
          model,
          options.evaluation,
          attackOptions,
          seed,
          epoch,
        );
      progress.line(describeEpoch(summary, options.epochs));
      summaries.push(summary);
      await options.onEpochEnd?.(summary);
      await save(epoch + 1, 0, emptyStats());
    }
  } finally {
    optimizer.dispose();
  }
  return { steps: position.step, epochs: summaries, lastCheckpoint, resumedFrom };
}

async function evaluateEpoch(
  model: tfl.LayersModel,
  evaluation: EvaluationOptions,
  attackOptions: AttackOptions,
  seed: number,
  epoch: number,
): Promise<RobustnessReport> {
  const eps =
    evaluation.eps ?? (typeof attackOptions.eps === 'number' ? attackOptions.eps : undefined);
  if (eps === undefined) {
    throw new InvalidOptionError(
      'evaluation needs an ε: set evaluation.eps (or attackOptions.eps), e.g. 0.1 for Fashion-MNIST, 8/255 for CIFAR-10',
    );
  }
  return evaluateRobustness(model, evaluation.data, evaluation.attack ?? 'pgd-linf', {
    eps,
    steps: evaluation.steps ?? 20,
    stepSize: evaluation.stepSize,
    range: evaluation.range ?? attackOptions.range,
    maxBatches: evaluation.maxBatches,
    seed,
    // Its own stream, so evaluating never shifts the training generator.
    rng: new SeededRandom(mixSeed(seed, 'evaluation', epoch)),
  });
}

function describeEpoch(s: EpochSummary, epochs: number): string {
  const head = `epoch ${s.epoch + 1}/${epochs} loss ${s.loss.toFixed(4)} train acc ${(100 * s.accuracy).toFixed(1)}% (${s.seconds.toFixed(1)} s)`;
  if (!s.evaluation) return head;
  const e = s.evaluation;
  return `${head} | clean ${e.clean.correct}/${e.clean.total} (${(100 * e.clean.accuracy).toFixed(1)}%) robust ${e.attack}-${e.steps} ε=${e.eps}: ${e.robust.correct}/${e.robust.total} (${(100 * e.robust.accuracy).toFixed(1)}%)`;
}

/** Classes of a logits model: the last axis of its (single) output. */
function outputClasses(model: tfl.LayersModel): number {
  const shape = model.outputs[0].shape;
  const classes = shape[shape.length - 1];
  if (model.outputs.length !== 1 || shape.length !== 2 || classes === null) {
    throw new InvalidOptionError(
      `train(): model "${model.name}" has output shape [${shape.join(', ')}]${model.outputs.length > 1 ? ` (and ${model.outputs.length} outputs)` : ''}; ` +
        'the trainer needs one logits output [batch, classes]',
    );
  }
  return classes;
}

/**
 * Every batch is checked before its step: labels in `0..classes-1` (a read of
 * the `[batch]` labels) and a finite `x` (one reduction + one sync). An
 * out-of-range label makes the one-hot target a zero row, and NaN inputs
 * trained at a flat loss (ln 10 on Fashion-MNIST) without failing, so either
 * went unnoticed. Measured on the FMNIST CNN, batch 128, wasm: 0.29 ms per
 * batch against 258 ms for a standard step (0.11 %; PGD-AT steps are ~8×
 * longer). Every batch rather than the first few, so a bad shard later in the
 * data is caught too.
 */
function checkBatch(
  x: tf.Tensor,
  y: tf.Tensor,
  numClasses: number,
  epoch: number,
  batchIndex: number,
): void {
  const label = `train(): batch ${batchIndex} of epoch ${epoch}`;
  assertLabelsInRange(y, numClasses, `${label}: y`);
  assertFinite(x, `${label}: x`);
}

function emptyStats(): EpochStats {
  return { lossSum: 0, correct: 0, images: 0, batches: 0 };
}

function validate(
  o: TrainOptions,
  objectiveName: string,
  attack: AttackOptions,
  perEpoch: number | undefined,
  hasCheckpointStore: boolean,
): void {
  if (!hasCheckpointStore && (o.checkpoint !== undefined || o.resume)) {
    throw new InvalidOptionError(
      `train(): ${o.checkpoint !== undefined ? 'checkpoint' : 'resume'} needs Node: checkpoints are folders on disk, which the browser build of ` +
        '@trustgrad/adversarial-trainer cannot write. In a browser, leave out checkpoint and resume and keep the model ' +
        "yourself, e.g. `await model.save('indexeddb://my-model')` in onEpochEnd (load it back with " +
        "`tf.loadLayersModel('indexeddb://my-model')`); for checkpoints with exact resume, train in Node",
    );
  }
  if (!(Number.isInteger(o.epochs) && o.epochs >= 1)) {
    throw new InvalidOptionError(`epochs must be an integer ≥ 1, got ${o.epochs}`);
  }
  if (
    o.stepsPerEpoch !== undefined &&
    !(Number.isInteger(o.stepsPerEpoch) && o.stepsPerEpoch >= 1)
  ) {
    throw new InvalidOptionError(`stepsPerEpoch must be an integer ≥ 1, got ${o.stepsPerEpoch}`);
  }
  if (perEpoch !== undefined && perEpoch < 1) {
    throw new InvalidOptionError(
      'the batch source has no batches; give it data or a smaller batch size',
    );
  }
  if (o.weightDecay !== undefined && !(o.weightDecay >= 0)) {
    throw new InvalidOptionError(`weightDecay must be ≥ 0, got ${o.weightDecay}`);
  }
  if (objectiveName !== 'standard' && attack.eps === undefined) {
    throw new InvalidOptionError(
      `objective "${objectiveName}" attacks its inputs and needs attackOptions.eps (Fashion-MNIST 0.1, CIFAR-10 8/255, ImageNette 4/255)`,
    );
  }
  if (
    o.checkpoint?.everySteps !== undefined &&
    !(Number.isInteger(o.checkpoint.everySteps) && o.checkpoint.everySteps >= 1)
  ) {
    throw new InvalidOptionError(
      `checkpoint.everySteps must be an integer ≥ 1, got ${o.checkpoint.everySteps}`,
    );
  }
  if (o.resume && !o.checkpoint) {
    throw new InvalidOptionError('resume: true needs checkpoint.dir, the folder to resume from');
  }
}

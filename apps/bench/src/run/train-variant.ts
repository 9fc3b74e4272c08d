import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  constantLr,
  cosineDecay,
  inMemoryBatchSource,
  type LearningRateSchedule,
  type OptimizerConfig,
  oneCycle,
  stepDecay,
  toBatchSource,
  train,
} from '@trustgrad/adversarial-trainer';
import {
  fileSystemIO,
  type ProgressRenderer,
  removeStaleTemps,
  syncDirectory,
  tempPathFor,
  writeAtomic,
} from '@trustgrad/core-tensor';
import type { Batch, Dataset } from '@trustgrad/datasets';
import type { ExperimentConfig } from '../config/schema';
import { attackSetting } from './attack-settings';
import { buildModel } from './build-model';
import type { Variant } from './variant-key';

/** One point of a training curve: the epoch's mean loss and training accuracy, and held-out clean/robust accuracy. */
export interface EpochPoint {
  /** 1-based. */
  epoch: number;
  loss: number;
  trainAccuracy: number;
  cleanAccuracy?: number;
  robustAccuracy?: number;
}

/** A trained variant, whether it came from the cache, and its training curve (from the trainer's epoch events). */
export interface TrainedVariant {
  model: tfl.LayersModel;
  fromCache: boolean;
  seconds: number;
  curve: EpochPoint[];
  /** The checkpoint training continued from (`resume`), or null when it started at step 0 or came from the cache. */
  resumedFrom: string | null;
}

/** The trainer's optimiser config of `training.optimizer` (a name or `{ name, ...options }`). */
export function optimizerOf(config: ExperimentConfig): OptimizerConfig {
  const { optimizer } = config.training;
  return (
    typeof optimizer === 'string' ? { name: optimizer } : { ...optimizer }
  ) as OptimizerConfig;
}

/** The learning-rate schedule of `training.schedule` at `training.learningRate`. */
export function learningRate(config: ExperimentConfig): LearningRateSchedule {
  const { learningRate: rate, schedule, epochs } = config.training;
  if (typeof schedule === 'object') {
    const { name: _, ...options } = schedule;
    return stepDecay({ initial: rate, ...options });
  }
  switch (schedule) {
    case 'constant':
      return constantLr(rate);
    case 'cosine':
      return cosineDecay({ initial: rate });
    case 'one-cycle':
      return oneCycle({ max: rate });
    case 'step':
      return stepDecay({
        initial: rate,
        milestones: [Math.floor(epochs / 2), Math.floor((3 * epochs) / 4)].filter(
          (m, i, a) => m > 0 && a.indexOf(m) === i,
        ),
      });
  }
}

/**
 * Trains one variant under its objective, or loads it when `dir/final` holds
 * a finished model of the same settings (`dir/done.json` lists its files'
 * SHA-256, so a damaged one is trained again). Checkpoints go to
 * `dir/steps`, so a killed run continues from the last one when `resume` is set;
 * each finished epoch's curve point goes to `dir/curve.json`, so the resumed
 * run's curve holds the epochs before the kill too.
 */
export async function trainVariant(
  config: ExperimentConfig,
  variant: Variant,
  dataset: Dataset,
  dir: string,
  options: {
    resume: boolean;
    progress: ProgressRenderer;
    stage: string;
    /** Held-out images measured (clean and under the evaluation attack) after every epoch, for the curves. */
    curveSet?: { x: tf.Tensor4D; y: tf.Tensor1D };
  },
): Promise<TrainedVariant> {
  const finalDir = join(dir, 'final');
  const doneFile = join(dir, 'done.json');
  removeStaleTemps(dir);
  removeStaleTemps(join(dir, 'steps'));
  const done = readDone(doneFile);
  if (done) {
    const defect = finalModelDefect(finalDir, done.sha256);
    if (defect === null) {
      const model = await tfl.loadLayersModel(`file://${finalDir}`);
      options.progress.log(
        `[${options.stage}] trained model found in ${finalDir}, training skipped`,
      );
      return {
        model,
        fromCache: true,
        seconds: done.seconds,
        curve: done.curve ?? [],
        resumedFrom: null,
      };
    }
    options.progress.log(`[${options.stage}] ${finalDir}: ${defect}; training it again`);
  }
  // Unmarked from here on, so a kill before the new model is complete never leaves a done.json naming it.
  rmSync(doneFile, { force: true });
  // Epochs finished before a kill are kept beside the checkpoints, so a resumed run's curve starts at epoch 1.
  const curveFile = join(dir, 'curve.json');
  if (!options.resume) rmSync(curveFile, { force: true });
  const byEpoch = new Map<number, EpochPoint>(
    (options.resume ? readCurve(curveFile) : []).map((p) => [p.epoch, p]),
  );
  const model = buildModel(config, variant.smoothing, {
    imageShape: dataset.imageShape,
    numClasses: dataset.classNames.length,
  });
  const { batchSize, epochs, weightDecay, checkpointEvery } = config.training;
  const trainAttack = attackSetting(config, 'train');
  const evalAttack = attackSetting(config, 'eval');
  const stepsPerEpoch = Math.ceil(dataset.train.length / batchSize);
  const started = Date.now();
  let images = 0;
  // The epoch length goes with the batches: cosine, one-cycle and step schedules need it from step 0.
  const source = toBatchSource(
    (epoch, seed) => stripMasks(dataset.train.batches({ batchSize, shuffle: true, seed, epoch })),
    stepsPerEpoch,
  );
  const { resumedFrom } = await train(model, source, {
    epochs,
    seed: config.seed,
    objective: variant.training,
    objectiveOptions: variant.options,
    attack: trainAttack.name,
    attackOptions: { ...trainAttack.options, range: dataset.range },
    optimizer: optimizerOf(config),
    learningRate: learningRate(config),
    weightDecay,
    checkpoint: { dir: join(dir, 'steps'), everySteps: checkpointEvery, keep: 2 },
    resume: options.resume,
    progress: 'off',
    onWarning: (message) => options.progress.log(`[${options.stage}] ${message}`),
    ...(options.curveSet
      ? {
          evaluation: {
            data: inMemoryBatchSource({
              ...options.curveSet,
              batchSize: config.evaluation.batchSize,
              shuffle: false,
            }),
            attack: evalAttack.name,
            eps: evalAttack.options.eps,
            steps: evalAttack.options.steps,
            stepSize: evalAttack.options.stepSize,
            range: dataset.range,
          },
        }
      : {}),
    onEpochEnd: (summary) => {
      byEpoch.set(summary.epoch + 1, {
        epoch: summary.epoch + 1,
        loss: summary.loss,
        trainAccuracy: summary.accuracy,
        ...(summary.evaluation
          ? {
              cleanAccuracy: summary.evaluation.clean.accuracy,
              robustAccuracy: summary.evaluation.robust.accuracy,
            }
          : {}),
      });
      // A resumed run repeats no finished epoch, but one re-run after a kill between its end and this write replaces its point.
      mkdirSync(dir, { recursive: true });
      writeAtomic(curveFile, JSON.stringify([...byEpoch.values()]));
    },
    onStepEnd: (info) => {
      images += info.batchSize;
      const seconds = (Date.now() - started) / 1000;
      options.progress.update({
        stage: options.stage,
        done: info.step,
        total: stepsPerEpoch * epochs,
        details: {
          epoch: `${info.epoch + 1}/${epochs}`,
          loss: info.loss,
          acc: info.accuracy,
          'img/s': Math.round(images / Math.max(seconds, 1e-3)),
        },
      });
    },
  });
  const seconds = (Date.now() - started) / 1000;
  const curve = [...byEpoch.values()]
    .filter((p) => p.epoch <= epochs)
    .sort((a, b) => a.epoch - b.epoch);
  // The whole model goes into a temporary folder renamed into place, then done.json marks it finished.
  const tmp = tempPathFor(finalDir);
  rmSync(tmp, { recursive: true, force: true });
  await model.save(fileSystemIO(tmp));
  const sha256 = Object.fromEntries(
    FINAL_FILES.map((file) => [file, sha256Of(readFileSync(join(tmp, file)))]),
  );
  rmSync(finalDir, { recursive: true, force: true });
  renameSync(tmp, finalDir);
  syncDirectory(dir);
  writeAtomic(doneFile, JSON.stringify({ seconds, curve, sha256 } satisfies Done));
  return { model, fromCache: false, seconds, curve, resumedFrom };
}

const FINAL_FILES = ['model.json', 'weights.bin'];

interface Done {
  seconds: number;
  /** Per-epoch training curve of the run that trained it. */
  curve?: EpochPoint[];
  /** SHA-256 of each file of `final/`. */
  sha256: Record<string, string>;
}

/** The epochs a killed run finished (`curve.json`), or none when it is missing or unreadable. */
function readCurve(path: string): EpochPoint[] {
  try {
    const points = JSON.parse(readFileSync(path, 'utf8')) as EpochPoint[];
    return Array.isArray(points) ? points.filter((p) => Number.isInteger(p?.epoch)) : [];
  } catch {
    return [];
  }
}

function readDone(path: string): Done | null {
  try {
    const done = JSON.parse(readFileSync(path, 'utf8')) as Partial<Done>;
    return typeof done.seconds === 'number' && done.sha256 ? (done as Done) : null;
  } catch {
    return null;
  }
}

/** Why the finished model cannot be used, or null when its files match done.json. */
function finalModelDefect(folder: string, sha256: Record<string, string>): string | null {
  for (const file of FINAL_FILES) {
    const path = join(folder, file);
    if (!existsSync(path)) return `${file} is missing`;
    if (sha256Of(readFileSync(path)) !== sha256[file])
      return `${file} does not match its SHA-256 in done.json`;
  }
  return null;
}

function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The trainer takes `{x, y}` batches; masks (synthetic data) are not used in training. */
async function* stripMasks(batches: AsyncIterable<Batch>) {
  for await (const batch of batches) {
    batch.mask?.dispose();
    yield { x: batch.x, y: batch.y };
  }
}

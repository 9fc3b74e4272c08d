import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { fileSystemIO, type RandomState, writeAtomic } from '@trustgrad/core-tensor';
import { CheckpointError } from '../errors/trainer-errors';
import { OPTIMIZER_SCALARS } from './optimizer';

/** Where a run stands; saved with every checkpoint. */
export interface TrainingPosition {
  /** Epoch (0-based) the next step belongs to. */
  epoch: number;
  /** Global steps completed. */
  step: number;
  /** Batches of `epoch` already consumed (the data-order position). */
  batchIndex: number;
  /** The run's seed (data order and the generator's origin). */
  seed: number;
  /** State of the trainer's generator after `step` steps. */
  rng: RandomState;
}

const LATEST = 'latest.json';
const FORMAT = 1;

/**
 * Saves model weights (a loadable `model.json` + `weights.bin`), optimiser
 * state and the training position into `<dir>/step-<step>`. Everything is
 * written into a temporary folder first and renamed into place, then
 * `latest.json` is replaced atomically, so a kill at any moment leaves the
 * previous checkpoint intact. Keeps the newest `keep` checkpoints.
 *
 * @returns the checkpoint folder.
 */
export async function saveCheckpoint(
  dir: string,
  model: tfl.LayersModel,
  optimizer: tf.Optimizer,
  position: TrainingPosition,
  keep = 2,
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const name = `step-${String(position.step).padStart(9, '0')}`;
  const final = join(dir, name);
  const tmp = join(dir, `.${name}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });

  await model.save(fileSystemIO(join(tmp, 'model')));
  const optimizerWeights = await optimizer.getWeights();
  const { data, specs } = await tf.io.encodeWeights(optimizerWeights);
  // getWeights returns the live slot variables; only the iteration count is a fresh tensor.
  optimizerWeights.filter((w) => w.name === 'iter').forEach((w) => w.tensor.dispose());
  const scalars: Record<string, number> = {};
  for (const key of OPTIMIZER_SCALARS) {
    const v = (optimizer as unknown as Record<string, unknown>)[key];
    if (v instanceof tf.Tensor) scalars[key] = (v as tf.Tensor).dataSync()[0];
  }
  writeFileSync(join(tmp, 'optimizer.bin'), Buffer.from(data));
  writeFileSync(
    join(tmp, 'optimizer.json'),
    JSON.stringify({ className: optimizer.getClassName(), specs, scalars }),
  );
  writeFileSync(join(tmp, 'state.json'), JSON.stringify({ format: FORMAT, ...position }));

  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  writeAtomic(join(dir, LATEST), JSON.stringify({ checkpoint: name }));
  pruneCheckpoints(dir, keep);
  return final;
}

/** The newest complete checkpoint folder under `dir`, or null when there is none. */
export function latestCheckpoint(dir: string): string | null {
  const pointer = join(dir, LATEST);
  if (!existsSync(pointer)) return null;
  const { checkpoint } = JSON.parse(readFileSync(pointer, 'utf8')) as { checkpoint: string };
  const folder = join(dir, checkpoint);
  if (!existsSync(join(folder, 'state.json'))) {
    throw new CheckpointError(
      `${pointer} names ${checkpoint} but ${folder}/state.json is missing; delete ${dir} to start over`,
    );
  }
  return folder;
}

/**
 * Restores a checkpoint written by {@link saveCheckpoint} into `model` and
 * `optimizer` (which must have the same architecture and optimiser type) and
 * returns the training position.
 */
export async function loadCheckpoint(
  folder: string,
  model: tfl.LayersModel,
  optimizer: tf.Optimizer,
): Promise<TrainingPosition> {
  const state = JSON.parse(readFileSync(join(folder, 'state.json'), 'utf8')) as TrainingPosition & {
    format: number;
  };
  if (state.format !== FORMAT) {
    throw new CheckpointError(
      `${folder}: checkpoint format ${state.format}, this version reads format ${FORMAT}`,
    );
  }
  const artifacts = await fileSystemIO(join(folder, 'model')).load!();
  const saved = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  const weights = model.weights;
  const names = Object.keys(saved);
  // Match by name; auto-named layers (no `name:`) get process-wide counters, so fall back to
  // order (as tfjs's own loader does) when the count and every shape agree.
  const byName = weights.every((w) => w.originalName in saved) && names.length === weights.length;
  const byOrder =
    names.length === weights.length &&
    weights.every((w, i) => w.shape.join() === saved[names[i]].shape.join());
  if (!byName && !byOrder) {
    tf.dispose(Object.values(saved));
    throw new CheckpointError(
      `${folder}: the checkpoint holds weights [${names.map((n) => `${n} [${saved[n].shape}]`).join(', ')}] but the model has ` +
        `[${weights.map((w) => `${w.originalName} [${w.shape}]`).join(', ')}]; resume with the same architecture that wrote it`,
    );
  }
  model.setWeights(weights.map((w, i) => (byName ? saved[w.originalName] : saved[names[i]])));
  tf.dispose(Object.values(saved));

  const meta = JSON.parse(readFileSync(join(folder, 'optimizer.json'), 'utf8')) as {
    className: string;
    specs: tf.io.WeightsManifestEntry[];
    scalars: Record<string, number>;
  };
  if (meta.className !== optimizer.getClassName()) {
    throw new CheckpointError(
      `${folder}: saved with a ${meta.className} optimizer but the run uses ${optimizer.getClassName()}; use the same optimizer config to resume`,
    );
  }
  const bin = readFileSync(join(folder, 'optimizer.bin'));
  const decoded = tf.io.decodeWeights(
    bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    meta.specs,
  );
  await optimizer.setWeights(meta.specs.map((s) => ({ name: s.name, tensor: decoded[s.name] })));
  tf.dispose(Object.values(decoded));
  for (const [key, value] of Object.entries(meta.scalars)) {
    const v = (optimizer as unknown as Record<string, unknown>)[key];
    if (v instanceof tf.Variable) tf.tidy(() => v.assign(tf.scalar(value)));
  }
  const { format: _format, ...position } = state;
  return position;
}

function pruneCheckpoints(dir: string, keep: number): void {
  const steps = readdirSync(dir)
    .filter((f) => /^step-\d+$/.test(f))
    .sort();
  for (const old of steps.slice(0, Math.max(0, steps.length - keep))) {
    rmSync(join(dir, old), { recursive: true, force: true });
  }
}

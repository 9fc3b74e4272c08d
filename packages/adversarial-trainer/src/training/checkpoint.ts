import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  fileSystemIO,
  removeStaleTemps,
  syncDirectory,
  tempPathFor,
  writeAtomic,
  writeDurable,
} from '@trustgrad/core-tensor';
import { CheckpointError } from '../errors/trainer-errors';
import type { CheckpointStore, TrainingPosition } from './checkpoint-store';
import { OPTIMIZER_SCALARS } from './optimizer';

const LATEST = 'latest.json';
const MANIFEST = 'manifest.json';
const FORMAT = 1;
/** The files every checkpoint holds; the manifest lists them with their sizes and hashes. */
const REQUIRED = [
  'model/model.json',
  'model/weights.bin',
  'optimizer.bin',
  'optimizer.json',
  'state.json',
];
const STEP_FOLDER = /^step-\d{9}(-end)?$/;

/**
 * Saves model weights (a loadable `model.json` + `weights.bin`), optimiser
 * state and the training position into `<dir>/step-<step>` (`-end` when it
 * closes an epoch), so that a kill at any instant leaves a checkpoint to
 * resume from: everything is written and flushed into a temporary folder, a
 * `manifest.json` (size and SHA-256 of every file) is written last, the folder
 * is renamed to its own name (never over an intact live checkpoint; a damaged one, which
 * {@link latestCheckpoint} skips, is replaced when the resumed run reaches its step again), `latest.json`
 * is replaced atomically, and only then are older checkpoints pruned to the
 * newest `keep` (the live one is never deleted).
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
  removeStaleTemps(dir);
  const name = checkpointName(position);
  const live = readPointer(dir);
  // A damaged live checkpoint is no checkpoint (latestCheckpoint skips it and the run resumed
  // from an older one, or from step 0): saving that position again replaces it. An intact one is
  // never overwritten.
  if (name === live && checkpointDefect(join(dir, live)) === null) {
    throw new CheckpointError(
      `${join(dir, name)} is the live checkpoint and would be overwritten; a run saves each position once — use a fresh checkpoint.dir`,
    );
  }
  const final = join(dir, name);
  const tmp = join(dir, tempPathFor(`.${name}`));
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
  writeDurable(join(tmp, 'optimizer.bin'), Buffer.from(data));
  writeDurable(
    join(tmp, 'optimizer.json'),
    JSON.stringify({ className: optimizer.getClassName(), specs, scalars }),
  );
  writeDurable(join(tmp, 'state.json'), JSON.stringify({ format: FORMAT, ...position }));
  const files = Object.fromEntries(
    REQUIRED.map((file) => {
      const bytes = readFileSync(join(tmp, file));
      return [file, { bytes: bytes.length, sha256: sha256(bytes) }];
    }),
  );
  // Written last: a folder with a valid manifest is complete.
  writeDurable(join(tmp, MANIFEST), JSON.stringify({ format: FORMAT, files }));
  syncDirectory(tmp);
  syncDirectory(join(tmp, 'model'));

  // Not live, so a leftover of a killed run (renamed but never pointed to): safe to replace.
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  syncDirectory(dir);
  writeAtomic(join(dir, LATEST), JSON.stringify({ checkpoint: name }));
  pruneCheckpoints(dir, keep, name);
  return final;
}

/** Why a checkpoint folder cannot be used, or null when it is complete and undamaged. */
export function checkpointDefect(folder: string): string | null {
  if (!existsSync(folder)) return 'the folder is missing';
  let manifest: { format?: number; files?: Record<string, { bytes: number; sha256: string }> };
  try {
    manifest = JSON.parse(readFileSync(join(folder, MANIFEST), 'utf8'));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT'
      ? `${MANIFEST} is missing (the save was interrupted)`
      : `${MANIFEST} is unreadable (${(error as Error).message})`;
  }
  const files = manifest.files ?? {};
  for (const file of REQUIRED) {
    const entry = files[file];
    if (!entry) return `${MANIFEST} does not list ${file}`;
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(folder, file));
    } catch {
      return `${file} is missing`;
    }
    if (bytes.length !== entry.bytes)
      return `${file} has ${bytes.length} bytes, the manifest says ${entry.bytes}`;
    if (sha256(bytes) !== entry.sha256) return `${file} does not match its SHA-256 in ${MANIFEST}`;
  }
  return null;
}

/** Options of {@link latestCheckpoint}. */
export interface LatestCheckpointOptions {
  /** Told when `latest.json` is missing or names a damaged folder and another one is used (or none). */
  onFallback?: (message: string) => void;
}

/**
 * The checkpoint to resume from under `dir`: the one `latest.json` names when
 * it is intact ({@link checkpointDefect}), otherwise the newest intact
 * `step-*` folder (saying so through `onFallback`), or null when there is none.
 */
export function latestCheckpoint(
  dir: string,
  options: LatestCheckpointOptions = {},
): string | null {
  if (!existsSync(dir)) return null;
  const live = readPointer(dir);
  const problems: string[] = [];
  if (live !== null) {
    const defect = checkpointDefect(join(dir, live));
    if (defect === null) return join(dir, live);
    problems.push(`${LATEST} names ${live}, but ${defect}`);
  }
  const candidates = stepFolders(dir).reverse();
  if (live === null && candidates.length === 0) return null;
  if (live === null) problems.push(`${LATEST} is missing or unreadable`);
  for (const name of candidates) {
    if (name === live) continue;
    const defect = checkpointDefect(join(dir, name));
    if (defect === null) {
      options.onFallback?.(
        `${dir}: ${problems.join('; ')}; resuming from the newest intact checkpoint, ${name}`,
      );
      return join(dir, name);
    }
    problems.push(`${name}: ${defect}`);
  }
  options.onFallback?.(
    `${dir}: ${problems.join('; ')}; no intact checkpoint is left, so training starts over`,
  );
  return null;
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
  const defect = checkpointDefect(folder);
  if (defect !== null) {
    throw new CheckpointError(
      `${folder}: ${defect}; resume from another checkpoint (latestCheckpoint picks the newest intact one)`,
    );
  }
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

/** `step-<9-digit step>`, with `-end` for the save that closes an epoch (same step, next epoch). */
function checkpointName(position: TrainingPosition): string {
  const end = position.batchIndex === 0 && position.step > 0 ? '-end' : '';
  return `step-${String(position.step).padStart(9, '0')}${end}`;
}

/** The checkpoint `latest.json` names, or null when it is missing or unreadable. */
function readPointer(dir: string): string | null {
  try {
    const { checkpoint } = JSON.parse(readFileSync(join(dir, LATEST), 'utf8')) as {
      checkpoint?: unknown;
    };
    return typeof checkpoint === 'string' && STEP_FOLDER.test(checkpoint) ? checkpoint : null;
  } catch {
    return null;
  }
}

/** Checkpoint folder names, oldest first (the names sort in training order). */
function stepFolders(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => STEP_FOLDER.test(f))
    .sort();
}

/**
 * Keeps `live` and the `keep - 1` checkpoints just before it. Folders after it
 * are not of this run's past (its position only grows), so they go too.
 */
function pruneCheckpoints(dir: string, keep: number, live: string): void {
  const steps = stepFolders(dir);
  const at = steps.indexOf(live);
  const older = steps.slice(0, at);
  const doomed = [
    ...older.slice(0, Math.max(0, older.length - (keep - 1))),
    ...steps.slice(at + 1),
  ];
  for (const old of doomed) rmSync(join(dir, old), { recursive: true, force: true });
}

/**
 * Removes every checkpoint under `dir` (`latest.json` first, so a kill midway
 * never leaves a pointer to a half-deleted folder), for a run that starts over.
 */
export function clearCheckpoints(dir: string): void {
  if (!existsSync(dir)) return;
  rmSync(join(dir, LATEST), { force: true });
  for (const name of stepFolders(dir).reverse())
    rmSync(join(dir, name), { recursive: true, force: true });
  removeStaleTemps(dir);
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The checkpoint folders on disk, as the Node entry's `train()` uses them. */
export const fileCheckpointStore: CheckpointStore = {
  clear: clearCheckpoints,
  latest: latestCheckpoint,
  load: loadCheckpoint,
  save: saveCheckpoint,
};

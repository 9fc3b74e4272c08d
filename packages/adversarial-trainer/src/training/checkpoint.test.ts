import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@trustgrad/core-tensor';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CheckpointError } from '../errors/trainer-errors';
import { tinyMlp } from '../testing/tiny-models';
import {
  checkpointDefect,
  clearCheckpoints,
  latestCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
} from './checkpoint';
import type { TrainingPosition } from './checkpoint-store';
import { createOptimizer } from './optimizer';

/**
 * Every call that changes the disk counts; the `at`-th one throws instead of
 * running, which leaves the disk exactly as a kill at that instant would.
 */
const fault = vi.hoisted(() => ({ at: 0, count: 0, log: [] as string[] }));
class SimulatedKill extends Error {}
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const mutating = [
    'renameSync',
    'rmSync',
    'unlinkSync',
    'rmdirSync',
    'mkdirSync',
    'writeFileSync',
    'writeSync',
    'openSync',
  ] as const;
  const wrapped: Record<string, unknown> = { ...real };
  for (const name of mutating) {
    const original = real[name] as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => {
      // Opening for reading changes nothing.
      const readOnly = name === 'openSync' && (args[1] === undefined || args[1] === 'r');
      if (!readOnly && fault.at > 0) {
        fault.count++;
        fault.log.push(`${name} ${String(args[0])}`);
        if (fault.count === fault.at) throw new SimulatedKill(`killed at ${name} ${args[0]}`);
      }
      return original(...args);
    };
  }
  return { ...wrapped, default: wrapped };
});

const work = fs.mkdtempSync(join(tmpdir(), 'at-ckpt-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const shape: [number, number, number] = [4, 4, 1];
const position = (step: number, epoch: number, batchIndex: number): TrainingPosition => ({
  epoch,
  step,
  batchIndex,
  seed: 5,
  rng: { s: [step, 1, 2, 3], spareNormal: null },
});
/** 2 steps per epoch, a save every 2 steps: the mid-epoch save and the epoch-end save share a step. */
const SAVES: TrainingPosition[] = [
  position(2, 0, 2),
  position(2, 1, 0),
  position(4, 1, 2),
  position(4, 2, 0),
];

/** Sets every weight to `value`, so each save's weights are recognisable. */
function fill(model: ReturnType<typeof tinyMlp>, value: number): void {
  tf.tidy(() => model.setWeights(model.getWeights().map((w) => tf.fill(w.shape, value))));
}

async function saveAll(dir: string): Promise<number> {
  const model = tinyMlp(shape, 3, 2, 1);
  const optimizer = createOptimizer({ name: 'adam' }, 0.01);
  let completed = 0;
  try {
    for (const [i, p] of SAVES.entries()) {
      fill(model, i + 1);
      await saveCheckpoint(dir, model, optimizer, p, 2);
      completed++;
    }
  } catch (error) {
    if (!(error instanceof SimulatedKill)) throw error;
  } finally {
    optimizer.dispose();
    model.dispose();
  }
  return completed;
}

describe('saveCheckpoint / latestCheckpoint under a kill at every disk change', () => {
  it('every kill point leaves the newest completed save (or the one in flight) to resume from, intact', async () => {
    fault.at = Number.MAX_SAFE_INTEGER;
    fault.count = 0;
    fault.log = [];
    await saveAll(join(work, 'count'));
    const total = fault.count;
    // Temp folder, four model files, three optimiser/state files, manifest, rename, pointer, prune…
    expect(total).toBeGreaterThan(SAVES.length * 10);

    for (let at = 1; at <= total; at++) {
      const dir = join(work, `kill-${at}`);
      fault.at = at;
      fault.count = 0;
      const completed = await saveAll(dir);
      fault.at = 0;
      expect(completed, `kill ${at}: ${fault.log[at - 1]}`).toBeLessThan(SAVES.length);

      const notes: string[] = [];
      const folder = latestCheckpoint(dir, { onFallback: (m) => notes.push(m) });
      if (completed === 0) {
        // Killed inside the first save: nothing, or that save when only its pruning was left.
        if (folder === null) continue;
      }
      expect(folder, `kill ${at} (${fault.log[at - 1]}): ${notes.join(' | ')}`).not.toBeNull();
      expect(checkpointDefect(folder!)).toBeNull();
      const model = tinyMlp(shape, 3, 2, 7);
      const optimizer = createOptimizer({ name: 'adam' }, 0.01);
      const restored = await loadCheckpoint(folder!, model, optimizer);
      const index = SAVES.findIndex((p) => p.step === restored.step && p.epoch === restored.epoch);
      // The one resumed from is the last completed save, or the interrupted one if it got as far as its folder.
      expect([completed - 1, completed]).toContain(index);
      const value = model.getWeights()[0].dataSync()[0];
      expect(value).toBe(index + 1);
      optimizer.dispose();
      model.dispose();
    }
  });
});

describe('latestCheckpoint falls back and says so', () => {
  it('a deleted or damaged live checkpoint gives the newest intact one, with a message naming both', async () => {
    const dir = join(work, 'fallback');
    fault.at = 0;
    await saveAll(dir);
    expect(fs.readdirSync(dir).sort()).toEqual([
      'latest.json',
      'step-000000004',
      'step-000000004-end',
    ]);
    const notes: string[] = [];
    expect(latestCheckpoint(dir, { onFallback: (m) => notes.push(m) })).toBe(
      join(dir, 'step-000000004-end'),
    );
    expect(notes).toEqual([]);

    // One flipped byte in the live model's weights.
    const weights = join(dir, 'step-000000004-end', 'model', 'weights.bin');
    const bytes = fs.readFileSync(weights);
    bytes[3] ^= 1;
    fs.writeFileSync(weights, bytes);
    expect(checkpointDefect(join(dir, 'step-000000004-end'))).toMatch(
      /model\/weights\.bin does not match its SHA-256/,
    );
    expect(latestCheckpoint(dir, { onFallback: (m) => notes.push(m) })).toBe(
      join(dir, 'step-000000004'),
    );
    expect(notes[0]).toMatch(
      /latest\.json names step-000000004-end, but model\/weights\.bin does not match .*resuming from the newest intact checkpoint, step-000000004/,
    );
    const model = tinyMlp(shape, 3, 2, 7);
    const optimizer = createOptimizer({ name: 'adam' }, 0.01);
    await expect(loadCheckpoint(join(dir, 'step-000000004-end'), model, optimizer)).rejects.toThrow(
      CheckpointError,
    );

    // No pointer and nothing intact: start over, and say so.
    fs.rmSync(join(dir, 'latest.json'));
    fs.rmSync(join(dir, 'step-000000004', 'state.json'));
    notes.length = 0;
    expect(latestCheckpoint(dir, { onFallback: (m) => notes.push(m) })).toBeNull();
    expect(notes[0]).toMatch(
      /latest\.json is missing .*state\.json is missing.*training starts over/,
    );
    optimizer.dispose();
    model.dispose();
  });

  it('a run resumed past a damaged live checkpoint saves that position again', async () => {
    const dir = join(work, 'damaged-live');
    fault.at = 0;
    await saveAll(dir);
    const live = join(dir, 'step-000000004-end');
    fs.rmSync(join(live, 'optimizer.bin'));
    const notes: string[] = [];
    expect(latestCheckpoint(dir, { onFallback: (m) => notes.push(m) })).toBe(
      join(dir, 'step-000000004'),
    );
    const model = tinyMlp(shape, 3, 2, 7);
    const optimizer = createOptimizer({ name: 'adam' }, 0.01);
    fill(model, 9);
    // The resumed run reaches the damaged checkpoint's position and saves it: no refusal.
    await saveCheckpoint(dir, model, optimizer, position(4, 2, 0), 2);
    expect(checkpointDefect(live)).toBeNull();
    expect(latestCheckpoint(dir)).toBe(live);
    const back = tinyMlp(shape, 3, 2, 8);
    expect((await loadCheckpoint(live, back, optimizer)).step).toBe(4);
    expect(back.getWeights()[0].dataSync()[0]).toBe(9);
    // An intact live checkpoint is still never overwritten.
    await expect(saveCheckpoint(dir, model, optimizer, position(4, 2, 0), 2)).rejects.toThrow(
      /is the live checkpoint and would be overwritten/,
    );
    back.dispose();
    optimizer.dispose();
    model.dispose();
  });

  it('an empty or absent folder has no checkpoint and nothing to say', () => {
    const notes: string[] = [];
    expect(latestCheckpoint(join(work, 'absent'), { onFallback: (m) => notes.push(m) })).toBeNull();
    fs.mkdirSync(join(work, 'empty'));
    expect(latestCheckpoint(join(work, 'empty'), { onFallback: (m) => notes.push(m) })).toBeNull();
    expect(notes).toEqual([]);
  });
});

describe('leftovers', () => {
  it('a save removes temporaries of dead processes; clearCheckpoints removes everything of a previous run', async () => {
    const dir = join(work, 'leftovers');
    fs.mkdirSync(join(dir, '.step-000000002.tmp-999999999'), { recursive: true });
    fs.writeFileSync(join(dir, 'latest.json.tmp-999999999'), '{"check');
    fault.at = 0;
    await saveAll(dir);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    clearCheckpoints(dir);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

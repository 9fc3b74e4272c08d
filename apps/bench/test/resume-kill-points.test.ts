import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const cli = join(root, 'apps/bench/src/cli.ts');
const hook = join(__dirname, 'fixtures/kill-at-disk-change.mjs');
/**
 * Which disk changes get a kill: renames and deletions by default (every step
 * of every atomic replace); TRUSTGRAD_KILL_POINTS=all adds opening and torn
 * writes (three times the runs).
 */
const kinds =
  process.env.TRUSTGRAD_KILL_POINTS === 'all'
    ? 'rename,rm,unlink,rmdir,writeFile,open,write'
    : 'rename,rm,unlink,rmdir';

interface Exit {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

// One variant (PGD-AT + FMS) of two steps, a checkpoint every 2 steps: it saves step 2
// mid-epoch and again as the epoch's end, the save that used to delete the live checkpoint;
// then the final model, done.json and the results files.
const run = (out: string, extra: string[], env: Record<string, string>): Promise<Exit> =>
  new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        '--import',
        hook,
        cli,
        'run',
        '--preset',
        'smoke',
        '--out',
        out,
        '--set',
        'dataset.trainLimit=64',
        '--set',
        'training.checkpointEvery=2',
        '--set',
        'variants=[{"training":"pgd-at","smoothing":true}]',
        '--set',
        'evaluation.samples=16',
        ...extra,
      ],
      {
        cwd: root,
        env: { ...process.env, CI: 'true', TRUSTGRAD_BACKEND: 'wasm', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (status, signal) => done({ status, signal, stderr }));
  });

function leftovers(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) =>
    /\.tmp-\d+(\/|$)/.test(p),
  );
}

describe('bench run --resume after a kill at every disk change [slow]', () => {
  it('a run SIGKILLed at each rename and deletion resumes to a byte-identical results.json', async () => {
    const work = mkdtempSync(join(tmpdir(), 'bench-kill-points-'));
    const unkilled = join(work, 'unkilled');
    const log = join(work, 'changes.log');
    const full = await run(unkilled, [], {
      TRUSTGRAD_FAULT_DIR: unkilled,
      TRUSTGRAD_FAULT_KINDS: kinds,
      TRUSTGRAD_FAULT_LOG: log,
    });
    expect(full.status, full.stderr).toBe(0);
    const points = readFileSync(log, 'utf8').trim().split('\n');
    const expected = readFileSync(join(unkilled, 'results.json'), 'utf8');
    // 2 checkpoints (each: 2 model files, the folder, latest.json, a prune), the final model, done.json, results.
    expect(points.length).toBeGreaterThan(20);

    const killAndResume = async (at: number): Promise<string | null> => {
      const out = join(work, `kill-${at}`);
      const point = `${points[at - 1].replace(unkilled, '<out>')}`;
      const killed = await run(out, [], {
        TRUSTGRAD_FAULT_DIR: out,
        TRUSTGRAD_FAULT_KINDS: kinds,
        TRUSTGRAD_FAULT_AT: String(at),
      });
      if (killed.signal !== 'SIGKILL')
        return `kill ${point}: the run was not killed (exit ${killed.status}) ${killed.stderr}`;
      const resumed = await run(out, ['--resume'], {});
      try {
        if (resumed.status !== 0)
          return `kill ${point}: --resume exited ${resumed.status}: ${resumed.stderr}`;
        if (readFileSync(join(out, 'results.json'), 'utf8') !== expected)
          return `kill ${point}: results.json differs from the unkilled run's`;
        const left = leftovers(out);
        if (left.length > 0) return `kill ${point}: left ${left.join(', ')}`;
        return null;
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    };
    // Two at a time: each run is single-threaded.
    const failures: string[] = [];
    let next = 1;
    const worker = async () => {
      while (next <= points.length) {
        const failure = await killAndResume(next++);
        if (failure) failures.push(failure);
      }
    };
    await Promise.all([worker(), worker()]);
    rmSync(work, { recursive: true, force: true });
    expect(failures).toEqual([]);
  }, 1_800_000);

  it('a finished model whose weights were damaged is trained again, not loaded', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bench-damaged-final-'));
    const first = await run(out, [], {});
    expect(first.status, first.stderr).toBe(0);
    const expected = readFileSync(join(out, 'results.json'), 'utf8');
    const key = readdirSync(join(out, 'checkpoints'))[0];
    const weights = join(out, 'checkpoints', key, 'final', 'weights.bin');
    const bytes = readFileSync(weights);
    bytes[bytes.length >> 1] ^= 0x40;
    writeFileSync(weights, bytes);
    const again = await run(out, ['--resume'], {});
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(
      /weights\.bin does not match its SHA-256 in done\.json; training it again/,
    );
    expect(readFileSync(join(out, 'results.json'), 'utf8')).toBe(expected);
    rmSync(out, { recursive: true, force: true });
  });
});

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const cli = join(root, 'apps/bench/src/cli.ts');
const args = (out: string, extra: string[] = []) => [
  '--conditions=source',
  '--import',
  'tsx',
  cli,
  'run',
  '--preset',
  'smoke',
  '--out',
  out,
  '--set',
  'dataset.trainLimit=768',
  '--set',
  'training.checkpointEvery=3',
  ...extra,
];
const env = { ...process.env, CI: 'true', TRUSTGRAD_BACKEND: 'wasm' };

function firstCheckpointWritten(out: string): boolean {
  const dir = join(out, 'checkpoints');
  if (!existsSync(dir)) return false;
  return readdirSync(dir).some((variant) => existsSync(join(dir, variant, 'steps', 'latest.json')));
}

describe('bench run --resume [slow]', () => {
  it('a run killed mid-training and resumed ends with the same results.json as an unkilled run', async () => {
    const unkilled = mkdtempSync(join(tmpdir(), 'bench-unkilled-'));
    const full = spawnSync(process.execPath, args(unkilled), { cwd: root, env, encoding: 'utf8' });
    expect(full.status, full.stderr).toBe(0);

    const killed = mkdtempSync(join(tmpdir(), 'bench-killed-'));
    const child: ChildProcess = spawn(process.execPath, args(killed), {
      cwd: root,
      env,
      stdio: 'ignore',
    });
    await new Promise<void>((done, fail) => {
      const timer = setInterval(() => {
        if (firstCheckpointWritten(killed)) {
          clearInterval(timer);
          child.kill('SIGKILL');
          done();
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(timer);
        fail(new Error('the run ended before it could be killed mid-training'));
      });
    });
    expect(existsSync(join(killed, 'results.json'))).toBe(false);

    const resumed = spawnSync(process.execPath, args(killed, ['--resume']), {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(readFileSync(join(killed, 'results.json'), 'utf8')).toBe(
      readFileSync(join(unkilled, 'results.json'), 'utf8'),
    );
  });

  it('after a kill past the first epoch, the resumed curves.json holds every epoch, as an unkilled run', async () => {
    const twoEpochs = ['--set', 'training.epochs=2', '--set', 'dataset.trainLimit=256'];
    const unkilled = mkdtempSync(join(tmpdir(), 'bench-curve-unkilled-'));
    const full = spawnSync(process.execPath, args(unkilled, twoEpochs), {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect(full.status, full.stderr).toBe(0);
    const expected = JSON.parse(readFileSync(join(unkilled, 'curves.json'), 'utf8'));
    expect(Object.values(expected).map((c) => (c as unknown[]).length)).toEqual([2, 2]);

    const killed = mkdtempSync(join(tmpdir(), 'bench-curve-killed-'));
    const child: ChildProcess = spawn(process.execPath, args(killed, twoEpochs), {
      cwd: root,
      env,
      stdio: 'ignore',
    });
    // Killed once the first variant has finished epoch 1 and before it finishes epoch 2.
    const firstEpochDone = () => {
      const dir = join(killed, 'checkpoints');
      if (!existsSync(dir)) return false;
      return readdirSync(dir).some((variant) => {
        const file = join(dir, variant, 'curve.json');
        return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).length === 1;
      });
    };
    await new Promise<void>((done, fail) => {
      const timer = setInterval(() => {
        if (firstEpochDone()) {
          clearInterval(timer);
          child.kill('SIGKILL');
          done();
        }
      }, 10);
      child.on('exit', () => {
        clearInterval(timer);
        fail(new Error('the run ended before it could be killed after its first epoch'));
      });
    });
    const resumed = spawnSync(process.execPath, args(killed, [...twoEpochs, '--resume']), {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(killed, 'curves.json'), 'utf8'))).toEqual(expected);
  });
});

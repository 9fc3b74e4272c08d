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
});

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const child = join(packageDir, 'test', 'fixtures', 'resume-child.ts');
const work = mkdtempSync(join(tmpdir(), 'at-kill-'));

function start(checkpointDir: string, out: string, delayMs: number): ChildProcess {
  // `node --import tsx` (not the tsx CLI, which forks a grandchild that SIGKILL would not reach).
  return spawn(process.execPath, ['--import', 'tsx', child, checkpointDir, out, String(delayMs)], {
    cwd: packageDir,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(packageDir, 'tsconfig.source.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finish(proc: ChildProcess): Promise<number | null> {
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) =>
    proc.on('close', (code, signal) =>
      code === 0 || signal === 'SIGKILL'
        ? resolve(code)
        : reject(new Error(`child exited ${code}: ${stderr}`)),
    ),
  );
}

describe('kill and resume', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('a run killed (SIGKILL) mid-epoch and resumed ends with the weights of an unkilled run, bit for bit', async () => {
    const unkilled = start(join(work, 'a'), join(work, 'a.json'), 0);
    expect(await finish(unkilled)).toBe(0);

    // 3 epochs × 10 steps, checkpoints every 3 steps; kill once step 14 (mid-epoch 2) is reported.
    const killed = start(join(work, 'b'), join(work, 'b.json'), 40);
    const exited = finish(killed);
    let lastStep = 0;
    killed.stdout!.on('data', (chunk: Buffer) => {
      for (const m of chunk.toString().matchAll(/step (\d+)/g)) lastStep = Number(m[1]);
      if (lastStep >= 14) killed.kill('SIGKILL');
    });
    await exited;
    expect(killed.signalCode).toBe('SIGKILL');
    expect(lastStep).toBeLessThan(30);

    const resumed = start(join(work, 'b'), join(work, 'b.json'), 0);
    let firstStep = 0;
    resumed.stdout!.on('data', (chunk: Buffer) => {
      const m = /step (\d+)/.exec(chunk.toString());
      if (m && firstStep === 0) firstStep = Number(m[1]);
    });
    expect(await finish(resumed)).toBe(0);
    expect(firstStep).toBeGreaterThan(1); // it really continued from a checkpoint
    expect(firstStep).toBeLessThanOrEqual(lastStep + 1);

    const a = JSON.parse(readFileSync(join(work, 'a.json'), 'utf8')) as number[][];
    const b = JSON.parse(readFileSync(join(work, 'b.json'), 'utf8')) as number[][];
    expect(b).toEqual(a);
  });
});

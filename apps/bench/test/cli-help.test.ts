import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../../..');
const cli = join(root, 'apps/bench/src/cli.ts');

/** Runs the CLI with a resolve hook that appends every `@tensorflow/*` import to a log; returns the log and output. */
function runWithImportLog(args: string[]): { status: number | null; stdout: string; tfjs: string } {
  const log = join(mkdtempSync(join(tmpdir(), 'bench-cli-')), 'imports.log');
  const hook = `import { appendFileSync } from 'node:fs';
export async function resolve(s, c, next) { if (s.startsWith('@tensorflow/')) appendFileSync(${JSON.stringify(log)}, s + '\\n'); return next(s, c); }`;
  const preload = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
  const run = spawnSync(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      `data:text/javascript,${encodeURIComponent(preload)}`,
      '--import',
      'tsx',
      cli,
      ...args,
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
  );
  return {
    status: run.status,
    stdout: run.stdout,
    tfjs: existsSync(log) ? readFileSync(log, 'utf8') : '',
  };
}

describe('bench --help [slow]', () => {
  it('answers without loading tfjs (while `bench list` does load it, so the probe works)', () => {
    const help = runWithImportLog(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage:');
    expect(help.tfjs).toBe('');
    const list = runWithImportLog(['list']);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('metrics');
    expect(list.tfjs).toContain('@tensorflow/tfjs-core');
  });
});

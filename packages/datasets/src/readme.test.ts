import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tarGz, tempDir, writeCifarFolder, writeImagenette } from './testing/fixtures';

const run = promisify(execFile);
const packageDir = join(__dirname, '..');
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
const examples = new Map(
  [...readme.matchAll(/<!-- example: ([\w-]+) -->\n```ts\n([\s\S]*?)```/g)].map((m) => [
    m[1],
    m[2],
  ]),
);
const tsx = join(packageDir, '..', '..', 'node_modules', '.bin', 'tsx');

/** Runs a README example as written, with tsx from source (the way the README says). */
async function runExample(name: string, env: Record<string, string> = {}): Promise<string> {
  const dir = join(packageDir, '.cache', 'readme');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, examples.get(name)!);
  try {
    const { stdout } = await run(tsx, ['--conditions=source', file], {
      cwd: packageDir,
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    return stdout;
  } catch (error) {
    const { stderr = '', stdout = '' } = error as { stderr?: string; stdout?: string };
    throw new Error(
      `README example "${name}" failed:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`,
    );
  } finally {
    rmSync(file, { force: true });
  }
}

describe('README examples run as written', () => {
  it('has one example per dataset and one plugin example', () => {
    expect([...examples.keys()].sort()).toEqual([
      'cifar10',
      'fashion-mnist',
      'imagenette',
      'plugin',
      'synthetic',
    ]);
  });

  it('fashion-mnist (real Debian files)', async () => {
    const out = await runExample('fashion-mnist');
    expect(out).toMatch(/\[ 28, 28, 1 \] 900 100 200/);
    expect(out).toMatch(/\[ 128, 28, 28, 1 \] int32/);
  });

  it('cifar10 (a small archive in the official format)', async () => {
    const root = tempDir('readme-cifar');
    writeCifarFolder(root, 3);
    const archive = tarGz(root, 'cifar-10-batches-bin', join(root, 'cifar-10-binary.tar.gz'));
    const out = await runExample('cifar10', { CIFAR10_PATH: archive });
    expect(out).toMatch(/\[ 'airplane', 'automobile', 'bird' \] 15 3/);
    expect(out).toMatch(/read 7 \/ 7/);
  });

  it('imagenette (a small folder in the official layout)', async () => {
    const root = tempDir('readme-inette');
    await writeImagenette(root, 1);
    const out = await runExample('imagenette', {
      IMAGENETTE_PATH: root,
      TRUSTGRAD_CACHE_DIR: tempDir('readme-cache'),
    });
    expect(out).toMatch(/tench \[ 128, 128, 3 \]/);
    expect(out).toMatch(/decode 10/);
  });

  it('synthetic and a user plugin', async () => {
    expect(await runExample('synthetic')).toMatch(
      /\[ 'square', 'disc', 'triangle', 'plus' \] \[ 8, 32, 32, 1 \]/,
    );
    expect(await runExample('plugin')).toMatch(/\[ 5, 5 \]/);
  });
});

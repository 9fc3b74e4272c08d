/**
 * Assembles `src/kernels/wasm/heap-simd.wat` into the two base64 modules that
 * `heap-simd.ts` embeds (one importing the threaded build's shared heap, one
 * the single-threaded build's), and writes them into `heap-simd.ts`.
 * `--check` only compares, exiting 1 when the embedded modules are stale.
 *
 *   node scripts/assemble-heap-simd.mjs [--check]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../src/kernels/wasm');
const watPath = join(dir, 'heap-simd.wat');
const tsPath = join(dir, 'heap-simd.ts');
const SHARED_IMPORT = '(import "env" "memory" (memory 1 65536 shared))';
const UNSHARED_IMPORT = '(import "env" "memory" (memory 1))';

/** wabt's `wat2wasm` (the npm build of WABT 1.0.39; SIMD is on by default there). */
const wat2wasm = join(dirname(createRequire(import.meta.url).resolve('wabt')), 'bin', 'wat2wasm');

export function assembleHeapSimd() {
  const source = readFileSync(watPath, 'utf8');
  if (!source.includes(SHARED_IMPORT)) throw new Error(`${watPath} must import ${SHARED_IMPORT}`);
  const work = mkdtempSync(join(tmpdir(), 'heap-simd-'));
  const assemble = (text) => {
    writeFileSync(join(work, 'in.wat'), text);
    execFileSync(process.execPath, [wat2wasm, '--enable-threads', 'in.wat', '-o', 'out.wasm'], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return readFileSync(join(work, 'out.wasm')).toString('base64');
  };
  try {
    return {
      shared: assemble(source),
      unshared: assemble(source.replace(SHARED_IMPORT, UNSHARED_IMPORT)),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function embeddedHeapSimd() {
  const ts = readFileSync(tsPath, 'utf8');
  const pick = (key) => new RegExp(`${key}:\\s*'([^']*)'`).exec(ts)?.[1];
  return { ts, shared: pick('shared'), unshared: pick('unshared') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = assembleHeapSimd();
  const embedded = embeddedHeapSimd();
  const stale = built.shared !== embedded.shared || built.unshared !== embedded.unshared;
  if (process.argv.includes('--check')) {
    console.log(
      stale
        ? 'heap-simd.ts is stale: run node scripts/assemble-heap-simd.mjs'
        : 'heap-simd.ts is up to date',
    );
    process.exit(stale ? 1 : 0);
  }
  const ts = embedded.ts
    .replace(/shared:\s*'[^']*'/, `shared:\n    '${built.shared}'`)
    .replace(/unshared:\s*'[^']*'/, `unshared:\n    '${built.unshared}'`);
  writeFileSync(tsPath, ts);
  console.log(stale ? 'heap-simd.ts updated' : 'heap-simd.ts already up to date');
}

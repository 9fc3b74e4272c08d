/**
 * Assembles `src/kernels/wasm/heap-simd.wat` into the four base64 modules that
 * `heap-simd.ts` embeds (importing the threaded build's shared heap or the
 * single-threaded build's; as written, or with the planar kernels'
 * multiply-adds fused), and writes them into `heap-simd.ts`.
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

/**
 * The planar small-channel convolution kernels, whose multiply-adds the fused
 * build turns into `f32x4.relaxed_madd`. The other kernels promise results
 * bit-identical to cpu or to tfjs's composition (Adam, PGD, per-channel ops,
 * reductions, the small matMul) and keep `f32x4.mul` then `f32x4.add`.
 */
export const FUSED_FUNCTIONS = [
  'planarCorrelate',
  'planarCorrelate3q',
  'planarCorrelate3r',
  'planarFilterGradient5',
  'planarFilterGradient3',
  'planarFilterGradient3x2',
];

/** The end (exclusive) of the balanced s-expression that starts at `text[start] === '('`. */
function expressionEnd(text, start) {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i + 1;
  }
  throw new Error(`unbalanced s-expression at ${start}`);
}

/**
 * `(f32x4.add (local.get $acc) (f32x4.mul X Y))` → `(f32x4.relaxed_madd X Y (local.get $acc))`
 * inside the {@link FUSED_FUNCTIONS}; throws if one of them has none (a renamed kernel).
 */
export function fuseMultiplyAdds(source) {
  let out = source;
  for (const name of FUSED_FUNCTIONS) {
    const start = out.indexOf(`(func (export "${name}")`);
    if (start < 0) throw new Error(`heap-simd.wat has no function ${name} to fuse`);
    const end = expressionEnd(out, start);
    let body = out.slice(start, end);
    const pattern = /\(f32x4\.add (\(local\.get \$\w+\)) \(f32x4\.mul /g;
    let fused = 0;
    for (;;) {
      pattern.lastIndex = 0;
      const m = pattern.exec(body);
      if (!m) break;
      const xStart = m.index + m[0].length;
      const xEnd = expressionEnd(body, xStart);
      const yStart = xEnd + 1;
      const yEnd = expressionEnd(body, yStart);
      if (body.slice(yEnd, yEnd + 2) !== '))')
        throw new Error(`${name}: unexpected multiply-add form`);
      const replacement = `(f32x4.relaxed_madd ${body.slice(xStart, xEnd)} ${body.slice(yStart, yEnd)} ${m[1]})`;
      body = body.slice(0, m.index) + replacement + body.slice(yEnd + 2);
      fused++;
    }
    if (fused === 0) throw new Error(`${name}: no multiply-add to fuse`);
    out = out.slice(0, start) + body + out.slice(end);
  }
  return out;
}

export function assembleHeapSimd() {
  const source = readFileSync(watPath, 'utf8');
  if (!source.includes(SHARED_IMPORT)) throw new Error(`${watPath} must import ${SHARED_IMPORT}`);
  const work = mkdtempSync(join(tmpdir(), 'heap-simd-'));
  const assemble = (text) => {
    writeFileSync(join(work, 'in.wat'), text);
    execFileSync(
      process.execPath,
      [wat2wasm, '--enable-threads', '--enable-relaxed-simd', 'in.wat', '-o', 'out.wasm'],
      { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    return readFileSync(join(work, 'out.wasm')).toString('base64');
  };
  const unshare = (text) => text.replace(SHARED_IMPORT, UNSHARED_IMPORT);
  try {
    const fused = fuseMultiplyAdds(source);
    return {
      shared: assemble(source),
      unshared: assemble(unshare(source)),
      fusedShared: assemble(fused),
      fusedUnshared: assemble(unshare(fused)),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const KEYS = ['shared', 'unshared', 'fusedShared', 'fusedUnshared'];

export function embeddedHeapSimd() {
  const ts = readFileSync(tsPath, 'utf8');
  const pick = (key) => new RegExp(`\\b${key}:\\s*'([^']*)'`).exec(ts)?.[1];
  return { ts, ...Object.fromEntries(KEYS.map((key) => [key, pick(key)])) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = assembleHeapSimd();
  const embedded = embeddedHeapSimd();
  const stale = KEYS.some((key) => built[key] !== embedded[key]);
  if (process.argv.includes('--check')) {
    console.log(
      stale
        ? 'heap-simd.ts is stale: run node scripts/assemble-heap-simd.mjs'
        : 'heap-simd.ts is up to date',
    );
    process.exit(stale ? 1 : 0);
  }
  let ts = embedded.ts;
  for (const key of KEYS) {
    ts = ts.replace(new RegExp(`\\b${key}:\\s*'[^']*'`), `${key}:\n    '${built[key]}'`);
  }
  writeFileSync(tsPath, ts);
  console.log(stale ? 'heap-simd.ts updated' : 'heap-simd.ts already up to date');
}

/**
 * Runs tfjs-core's own op tests (`dist/ops/*_test.js`, jasmine) on the wasm
 * backend twice: with tfjs-backend-wasm's kernels as shipped ("vanilla") and
 * with trustgrad's training kernels registered. trustgrad's kernels replace
 * tfjs's for every caller, so every test vanilla passes must still pass.
 *
 * The tests, the backend and core-tensor's kernels are bundled by esbuild into
 * one file so that a single tfjs-core instance (one kernel registry) serves
 * them all; the test files pick which op tests run (`test/tfjs-op-tests/entry.ts`).
 *
 *   node scripts/tfjs-op-tests.mjs [--json out.json]
 *
 * Prints both pass counts, the tests gained and any lost; exits 1 when a test
 * that passes on vanilla wasm fails with trustgrad's kernels.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..');
const require = createRequire(join(packageRoot, 'package.json'));

/** Bundles the op tests; returns the bundle's path inside `work`. */
async function bundleOpTests(work) {
  const { build } = await import('esbuild');
  const wasmDir = `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.wasm'))}/`;
  const outfile = join(work, 'tfjs-op-tests.cjs');
  await build({
    entryPoints: [join(packageRoot, 'test/tfjs-op-tests/entry.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // tfjs-core's ESM build, the one the tests import by relative path.
    mainFields: ['module', 'main'],
    outfile,
    // tfjs-core's package.json lists its side-effect files without the tests,
    // which would drop their side-effect-only imports (the suites themselves).
    ignoreAnnotations: true,
    logLevel: 'error',
    define: { TFJS_WASM_DIR: JSON.stringify(wasmDir) },
    plugins: [
      {
        // tfjs's jasmine_util reaches into jasmine-core 3's internals for its
        // timeout setting; the runner's booted jasmine is that object here.
        name: 'jasmine-global',
        setup(b) {
          b.onResolve({ filter: /^jasmine-core\/lib\/jasmine-core\/jasmine\.js$/ }, () => ({
            path: 'jasmine-global',
            namespace: 'jasmine-global',
          }));
          b.onLoad({ filter: /.*/, namespace: 'jasmine-global' }, () => ({
            contents: 'module.exports = { core: () => globalThis.jasmine };',
            loader: 'js',
          }));
        },
      },
    ],
  });
  return outfile;
}

/** In a child process: runs the bundle under jasmine and writes `{ passed, failed }` to `out`. */
async function runChild(bundle, out) {
  const core = require('jasmine-core');
  core.installGlobals();
  const env = globalThis.jasmine.getEnv();
  env.configure({ random: false });
  const passed = [];
  const failed = [];
  env.addReporter({
    specDone(result) {
      if (result.status === 'passed') passed.push(result.fullName);
      else if (result.status === 'failed') {
        failed.push({
          name: result.fullName,
          message: result.failedExpectations[0]?.message ?? '',
        });
      }
    },
    suiteDone(result) {
      // An afterAll error fails the suite, not a spec: count it as a failure.
      for (const e of result.failedExpectations ?? []) {
        failed.push({ name: `${result.fullName} (suite)`, message: e.message });
      }
    },
  });
  require(bundle);
  await env.execute();
  writeFileSync(out, JSON.stringify({ passed, failed }));
}

/** Builds once, runs both variants side by side, compares. */
export async function runTfjsOpTests() {
  const work = mkdtempSync(join(tmpdir(), 'tfjs-op-tests-'));
  try {
    const bundle = await bundleOpTests(work);
    const run = async (kernels) => {
      const out = join(work, `${kernels}.json`);
      await promisify(execFile)(
        process.execPath,
        [fileURLToPath(import.meta.url), '--child', bundle, out],
        {
          env: { ...process.env, TRUSTGRAD_OP_TESTS_KERNELS: kernels },
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      return JSON.parse(readFileSync(out, 'utf8'));
    };
    const [vanilla, trustgrad] = await Promise.all([run('vanilla'), run('trustgrad')]);
    const withOurs = new Set(trustgrad.passed);
    const onVanilla = new Set(vanilla.passed);
    return {
      total: vanilla.passed.length + vanilla.failed.length,
      vanilla,
      trustgrad,
      gained: trustgrad.passed.filter((name) => !onVanilla.has(name)),
      lost: vanilla.passed
        .filter((name) => !withOurs.has(name))
        .map(
          (name) =>
            trustgrad.failed.find((f) => f.name === name) ?? { name, message: 'did not run' },
        ),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await runChild(args[1], args[2]);
  } else {
    const report = await runTfjsOpTests();
    const jsonAt = args.indexOf('--json');
    if (jsonAt >= 0) writeFileSync(args[jsonAt + 1], JSON.stringify(report, null, 2));
    console.log(
      `tfjs op tests on wasm: vanilla ${report.vanilla.passed.length}/${report.total}, ` +
        `with trustgrad's kernels ${report.trustgrad.passed.length}/${report.total} ` +
        `(${report.gained.length} gained, ${report.lost.length} lost)`,
    );
    for (const { name, message } of report.lost) console.log(`LOST: ${name}\n  ${message}`);
    process.exit(report.lost.length > 0 ? 1 : 0);
  }
}

// Run in a consumer project (cwd) that has the packed tarballs, vite and playwright-core installed,
// with browser-page/ copied beside it: vite builds the page from the INSTALLED packages (vite's
// client conditions pick their `browser` export), headless Chromium runs it on tfjs's wasm backend,
// and the maps and Gini values must equal the same computation in Node on the cpu backend; then two
// PGD-AT train() steps on IDX bytes parsed in the page must give finite losses and move the weights.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@trustgrad/core-tensor';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { compute } from './browser-page/compute.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  if (process.env.CI === 'true')
    throw new Error(`no chromium at ${executablePath} (CI installs it)`);
  console.log(`browser page: SKIPPED, no chromium at ${executablePath} (set CHROMIUM_PATH)`);
  process.exit(0);
}

const root = join(process.cwd(), 'browser-page');
const outDir = join(root, 'dist');
await build({
  root,
  base: './',
  logLevel: 'warn',
  configFile: false,
  resolve: {
    dedupe: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-layers',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
    ],
  },
  // attribution loads sharp only to write PNG files in Node.
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
    rollupOptions: { external: ['sharp'] },
  },
});

// core-tensor's Node entry loads tfjs-node through createRequire; its `browser` entry does not.
const bundle = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
const bundled = bundle.map((f) => readFileSync(join(outDir, 'assets', f), 'utf8'));
if (bundled.some((code) => code.includes('createRequire')))
  throw new Error(
    "browser page: the bundle has core-tensor's Node entry (createRequire), not its browser entry",
  );
// adversarial-trainer's checkpoint folders (latest.json) are in its Node entry only.
if (bundled.some((code) => code.includes('latest.json')))
  throw new Error(
    "browser page: the bundle has adversarial-trainer's Node entry (checkpoint folders), not its browser entry",
  );

const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const server = createServer((req, res) => {
  const path = normalize(join(outDir, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
  const file = path.endsWith('/') ? join(path, 'index.html') : path;
  if (!file.startsWith(outDir) || !existsSync(file)) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
let page;
let fromPage;
try {
  page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(url);
  await page.waitForFunction(
    () => document.getElementById('status')?.textContent !== 'running',
    null,
    { timeout: 120_000 },
  );
  const failed = await page.evaluate(() => window.trustgradError);
  if (failed || errors.length) throw new Error(`the page failed: ${failed ?? errors.join('\n')}`);
  fromPage = await page.evaluate(() => window.trustgradResult);
} finally {
  await browser.close();
  server.close();
}

await initBackend({ backend: 'cpu', log: () => {} });
const inNode = await compute();
const check = (ok, what) => {
  if (!ok) throw new Error(`browser page: ${what}`);
};
check(fromPage.backend === 'wasm', `the page ran on ${fromPage.backend}, not wasm`);
check(
  fromPage.trustgradKernels.length > 0,
  "none of trustgrad's wasm kernels is registered in the page",
);
check(fromPage.numTensorsLeaked === 0, `the page leaked ${fromPage.numTensorsLeaked} tensors`);
check(inNode.backend === 'cpu', `Node ran on ${inNode.backend}`);
check(
  fromPage.vg.length === 2 * 28 * 28 && inNode.vg.length === fromPage.vg.length,
  'VG maps of the wrong size',
);
let scale = 0;
let diff = 0;
fromPage.vg.forEach((v, i) => {
  scale = Math.max(scale, Math.abs(inNode.vg[i]));
  diff = Math.max(diff, Math.abs(v - inNode.vg[i]));
});
check(scale > 0, 'the VG maps are all zero');
check(
  diff / scale < 1e-4,
  `VG differs between the page (wasm) and Node (cpu): relative ${diff / scale}`,
);
check(fromPage.gini.length === 2, `${fromPage.gini.length} Gini values, expected 2`);
fromPage.gini.forEach((g, i) =>
  check(
    Number.isFinite(g) && Math.abs(g - inNode.gini[i]) < 1e-4,
    `Gini ${i}: page ${g}, Node ${inNode.gini[i]}`,
  ),
);
const trained = fromPage.train;
check(trained.labels.join() === '9,0,3,7', `the IDX labels parsed in the page: ${trained.labels}`);
check(trained.steps === 2, `train() took ${trained.steps} steps in the page, expected 2`);
check(
  trained.losses.length === 2 && trained.losses.every(Number.isFinite),
  `train() losses in the page: ${trained.losses}`,
);
check(trained.maxWeightChange > 1e-4, `train() moved the weights by ${trained.maxWeightChange}`);
check(
  trained.rejection?.invalidOption === true &&
    /checkpoint needs Node/.test(trained.rejection.message),
  `train() with checkpoint in the page: ${JSON.stringify(trained.rejection)}`,
);
check(trained.numTensorsLeaked === 0, `training leaked ${trained.numTensorsLeaked} tensors`);
console.log(
  `browser page: VG + Gini on wasm in Chromium (${fromPage.trustgradKernels.length} trustgrad kernels, tfjs ${tf.version_core}) ` +
    `match Node's cpu (VG relative ${(diff / scale).toExponential(1)}, Gini ${fromPage.gini.map((g) => g.toFixed(4)).join(', ')}); ` +
    `PGD-AT train() on parsed IDX bytes: losses ${trained.losses.map((l) => l.toFixed(4)).join(', ')}`,
);

/**
 * `pnpm bench:perf`: training and input-gradient speed of the FMNIST CNN on
 * every tfjs backend present, against PyTorch on the same machine in the same
 * run, plus a soak that checks tensors and memory stay flat.
 *
 * Options: `--out DIR` (default `<repo>/perf`), `--soak-steps N` (default 500),
 * `--batch N` (64), `--windows N` (5 timed windows), `--steps-per-window N` (5),
 * `--cpu` (also time the pure-JS cpu backend, ~1 img/s), `--no-torch`.
 *
 * Protocol: warm-up steps first; each timed window runs several steps and
 * ends by reading one scalar reduced on the device (`dataSync`), so queued
 * work is counted; the reported time is the median window. PyTorch runs as a
 * server process (bench/torch_fmnist_cnn.py --serve) and its windows are
 * interleaved with the wasm ones, so both see the same machine load: each
 * round times PyTorch at 1 and at 2 threads and pairs ours with the faster;
 * the ratio is the median of the per-round ratios.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  type BackendName,
  FusedAdamOptimizer,
  fmnistCnn,
  initBackend,
  softmaxCrossEntropy,
  writeAtomic,
} from '../src/index';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');

interface Options {
  out: string;
  soakSteps: number;
  batch: number;
  windows: number;
  stepsPerWindow: number;
  cpu: boolean;
  torch: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    out: join(repoRoot, 'perf'),
    soakSteps: 500,
    batch: 64,
    windows: 5,
    stepsPerWindow: 5,
    cpu: false,
    torch: true,
  };
  const numeric = {
    '--soak-steps': 'soakSteps',
    '--batch': 'batch',
    '--windows': 'windows',
    '--steps-per-window': 'stepsPerWindow',
  } as const;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') options.out = resolve(argv[++i] ?? '');
    else if (arg === '--cpu') options.cpu = true;
    else if (arg === '--no-torch') options.torch = false;
    else if (arg in numeric) {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 0)
        throw new Error(`${arg} needs a non-negative integer, got "${argv[i]}"`);
      options[numeric[arg as keyof typeof numeric]] = value;
    } else if (arg !== '--') {
      throw new Error(
        `unknown option "${arg}"; known: --out DIR, ${Object.keys(numeric).join(' N, ')} N, --cpu, --no-torch`,
      );
    }
  }
  return options;
}

interface EngineResult {
  engine: string;
  threads?: number;
  batch: number;
  trainStepMs: number;
  trainImagesPerSecond: number;
  trainStepWindowsMs: number[];
  inputGradientMs: number;
  inputGradientWindowsMs: number[];
  topKernels?: Array<{ kernel: string; ms: number }>;
  /** PyTorch only: the medians at each thread count it ran with. */
  byThreads?: Record<string, { trainImagesPerSecond: number; inputGradientMs: number }>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs one timed window of the partner engine (PyTorch) between ours; resolves to its ms per step. */
type PartnerWindow = () => Promise<number>;

/**
 * Per-step ms of each timed window; `step` returns a scalar that is read at
 * the end of the window. With a partner, one partner window runs after each
 * of ours and its times come back too.
 */
async function timeWindows(
  step: () => tf.Scalar,
  warmup: number,
  windows: number,
  stepsPerWindow: number,
  partner?: PartnerWindow,
): Promise<{ ours: number[]; partner: number[] }> {
  for (let i = 0; i < warmup; i++) {
    const s = step();
    s.dataSync();
    s.dispose();
  }
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let w = 0; w < windows; w++) {
    const start = performance.now();
    let last: tf.Scalar | null = null;
    for (let i = 0; i < stepsPerWindow; i++) {
      last?.dispose();
      last = step();
    }
    last?.dataSync();
    last?.dispose();
    ours.push((performance.now() - start) / stepsPerWindow);
    if (partner) theirs.push(await partner());
  }
  return { ours, partner: theirs };
}

/** One training step and one input-gradient computation of the FMNIST CNN, the way a custom loop runs them. */
function fmnistWorkload(batch: number) {
  const model: tfl.LayersModel = fmnistCnn({ seed: 0 });
  // The trainer's `adam`: tfjs's Adam bit for bit, one fused kernel per variable.
  const optimizer = new FusedAdamOptimizer(1e-3, 0.9, 0.999, 1e-7);
  const x = tf.randomNormal([batch, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
  const labels = tf.randomUniform([batch], 0, 10, 'int32', 2) as tf.Tensor1D;
  const oneHot = tf.oneHot(labels, 10);
  const trainStep = (): tf.Scalar =>
    optimizer.minimize(
      () =>
        // The trainer's loss (adversarial-trainer's `crossEntropy`): the fused per-sample kernel, averaged.
        tf.mean(
          softmaxCrossEntropy(model.apply(x, { training: true }) as tf.Tensor2D, labels),
        ) as tf.Scalar,
      true,
    ) as tf.Scalar;
  // ∂(logit of the true class)/∂x for every image: what a saliency map needs.
  const inputGradient = tf.grad((input: tf.Tensor) =>
    tf.sum(tf.mul(model.apply(input) as tf.Tensor, oneHot)),
  );
  const gradientStep = (): tf.Scalar => tf.tidy(() => tf.sum(inputGradient(x)) as tf.Scalar);
  const dispose = () => {
    tf.dispose([x, labels, oneHot]);
    optimizer.dispose();
    model.dispose();
  };
  return { trainStep, gradientStep, dispose };
}

async function topKernels(
  step: () => tf.Scalar,
  repeats = 3,
): Promise<Array<{ kernel: string; ms: number }>> {
  const best = new Map<string, number>();
  for (let r = 0; r < repeats; r++) {
    const perKernel = new Map<string, number>();
    const info = await tf.profile(() => {
      const s = step();
      s.dataSync();
      s.dispose();
    });
    for (const k of info.kernels) {
      const key = `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join('')}`;
      perKernel.set(key, (perKernel.get(key) ?? 0) + ((await k.kernelTimeMs) as number));
    }
    for (const [key, ms] of perKernel)
      best.set(key, Math.min(best.get(key) ?? Number.POSITIVE_INFINITY, ms));
  }
  return [...best.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([kernel, ms]) => ({ kernel, ms: Math.round(ms * 100) / 100 }));
}

async function benchBackend(
  name: BackendName,
  options: Options,
  torch?: TorchServer,
): Promise<{ result: EngineResult | string; torch?: EngineResult; pairedRatio?: number }> {
  try {
    const choice = await initBackend({ backend: name, log: () => {} });
    const threads = choice.wasmThreads?.count;
    const { trainStep, gradientStep, dispose } = fmnistWorkload(options.batch);
    const cpuSlow = name === 'cpu';
    const windows = cpuSlow ? 1 : options.windows;
    const perWindow = cpuSlow ? 1 : options.stepsPerWindow;
    const warmup = cpuSlow ? 1 : 5;
    if (torch) {
      await torch.window('train', warmup);
      await torch.window('grad', warmup);
    }
    // PyTorch at 1 and at 2 threads in each round; the round's partner time is the faster.
    const byThreads = {
      train: { 1: [] as number[], 2: [] as number[] },
      grad: { 1: [] as number[], 2: [] as number[] },
    };
    const partner = (kind: 'train' | 'grad') =>
      torch
        ? async () => {
            const one = await torch.window(kind, perWindow, 1);
            const two = await torch.window(kind, perWindow, 2);
            byThreads[kind][1].push(one);
            byThreads[kind][2].push(two);
            return Math.min(one, two);
          }
        : undefined;
    const trainPartner = partner('train');
    const gradPartner = partner('grad');
    const train = await timeWindows(trainStep, warmup, windows, perWindow, trainPartner);
    const grad = await timeWindows(gradientStep, warmup, windows, perWindow, gradPartner);
    const kernels = cpuSlow ? undefined : await topKernels(trainStep);
    dispose();
    const result = engineResult(
      `tfjs ${tf.version_core} ${tf.getBackend()}`,
      threads,
      options.batch,
      train.ours,
      grad.ours,
    );
    result.topKernels = kernels;
    if (!torch) return { result };
    const torchResult = engineResult(
      `${torch.engine} (faster of 1 and 2 threads per round)`,
      undefined,
      options.batch,
      train.partner,
      grad.partner,
    );
    torchResult.byThreads = {
      threads1: {
        trainImagesPerSecond: (options.batch * 1000) / median(byThreads.train[1]),
        inputGradientMs: median(byThreads.grad[1]),
      },
      threads2: {
        trainImagesPerSecond: (options.batch * 1000) / median(byThreads.train[2]),
        inputGradientMs: median(byThreads.grad[2]),
      },
    };
    // Per round: (our images/s) / (PyTorch images/s) = PyTorch ms / our ms.
    const pairedRatio = median(train.ours.map((ms, i) => train.partner[i] / ms));
    return { result, torch: torchResult, pairedRatio };
  } catch (error) {
    return { result: (error as Error).message.split('\n')[0] };
  }
}

function engineResult(
  engine: string,
  threads: number | undefined,
  batch: number,
  train: number[],
  grad: number[],
): EngineResult {
  const trainStepMs = median(train);
  return {
    engine,
    threads,
    batch,
    trainStepMs,
    trainImagesPerSecond: (batch * 1000) / trainStepMs,
    trainStepWindowsMs: train,
    inputGradientMs: median(grad),
    inputGradientWindowsMs: grad,
  };
}

/** The PyTorch side of the comparison: a persistent bench/torch_fmnist_cnn.py --serve process. */
interface TorchServer {
  engine: string;
  threads: number;
  window(kind: 'train' | 'grad', steps: number, threads?: number): Promise<number>;
  close(): void;
}

async function startTorch(options: Options): Promise<TorchServer | string> {
  const python = '/usr/bin/python3';
  try {
    execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return `${python} -c 'import torch' failed (install python3-torch to compare)`;
  }
  const child: ChildProcessWithoutNullStreams = spawn(python, [
    join(here, 'torch_fmnist_cnn.py'),
    '--serve',
    '--batch',
    String(options.batch),
  ]);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const ask = async (request: string): Promise<string> => {
    child.stdin.write(`${request}\n`);
    const next = await lines.next();
    if (next.done) throw new Error(`PyTorch process ended: ${stderr.trim().split('\n').pop()}`);
    return next.value;
  };
  const info = JSON.parse(await ask('info')) as { engine: string; threads: number };
  return {
    ...info,
    window: async (kind, steps, threads) =>
      Number(await ask(threads ? `${kind} ${steps} ${threads}` : `${kind} ${steps}`)),
    close: () => {
      child.stdin.end('quit\n');
    },
  };
}

interface SoakResult {
  backend: string;
  steps: number;
  numTensorsStart: number;
  numTensorsEnd: number;
  rssStartMb: number;
  rssEndMb: number;
  peakRssMb: number;
  flat: boolean;
}

/** `steps` training steps; tensors must not grow and RSS may not grow by more than 10% after the first 10% of steps. */
function soak(steps: number, batch: number): SoakResult {
  const { trainStep, dispose } = fmnistWorkload(batch);
  const settle = Math.max(1, Math.floor(steps / 10));
  let numTensorsStart = 0;
  let rssStart = 0;
  for (let i = 0; i < steps; i++) {
    const loss = trainStep();
    loss.dataSync();
    loss.dispose();
    if (i === settle - 1) {
      numTensorsStart = tf.memory().numTensors;
      rssStart = process.memoryUsage().rss;
    }
  }
  const numTensorsEnd = tf.memory().numTensors;
  const rssEnd = process.memoryUsage().rss;
  dispose();
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  return {
    backend: tf.getBackend(),
    steps,
    numTensorsStart,
    numTensorsEnd,
    rssStartMb: mb(rssStart),
    rssEndMb: mb(rssEnd),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    flat: numTensorsEnd === numTensorsStart && rssEnd <= rssStart * 1.1,
  };
}

function fmt(value: number, digits = 1): string {
  return value.toFixed(digits);
}

function markdown(
  results: Record<string, EngineResult | string>,
  torchRatio: Record<string, number>,
  soakResult: SoakResult | string,
): string {
  const lines = [
    '| engine | threads | train img/s (batch 64) | train step ms | input-gradient ms (batch 64) | vs PyTorch (train, paired) |',
    '|---|---|---|---|---|---|',
  ];
  for (const [name, r] of Object.entries(results)) {
    if (typeof r === 'string') {
      lines.push(`| ${name} | – | skipped: ${r} | | | |`);
      continue;
    }
    const ratio = torchRatio[name] !== undefined ? `${fmt(torchRatio[name], 2)}×` : '';
    lines.push(
      `| ${r.engine} | ${r.threads ?? '–'} | ${fmt(r.trainImagesPerSecond, 0)} | ${fmt(r.trainStepMs)} | ${fmt(r.inputGradientMs)} | ${ratio} |`,
    );
  }
  lines.push('');
  if (typeof soakResult === 'string') lines.push(`Soak: skipped (${soakResult})`);
  else
    lines.push(
      `Soak (${soakResult.backend}, ${soakResult.steps} steps): tensors ${soakResult.numTensorsStart} → ${soakResult.numTensorsEnd}, ` +
        `RSS ${soakResult.rssStartMb} → ${soakResult.rssEndMb} MB (peak ${soakResult.peakRssMb} MB): ${soakResult.flat ? 'flat' : 'GROWING'}`,
    );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const results: Record<string, EngineResult | string> = {};
  const torchRatio: Record<string, number> = {};
  const torch = options.torch ? await startTorch(options) : 'disabled with --no-torch';
  for (const name of ['tensorflow', 'wasm'] as const) {
    console.error(
      `[perf] ${name}${typeof torch === 'string' ? '' : ' interleaved with pytorch'} …`,
    );
    const run = await benchBackend(name, options, typeof torch === 'string' ? undefined : torch);
    results[name] = run.result;
    if (run.torch) {
      results[`pytorch (beside ${name})`] = run.torch;
      torchRatio[name] = run.pairedRatio ?? Number.NaN;
    }
  }
  if (typeof torch === 'string') results.pytorch = torch;
  else torch.close();
  results.cpu = options.cpu
    ? (await benchBackend('cpu', options)).result
    : 'pure-JS kernels train at ~1 img/s (pass --cpu to time one step)';

  let soakResult: SoakResult | string = 'no wasm backend';
  if (typeof results.wasm !== 'string' && options.soakSteps > 0) {
    console.error(`[perf] soak ${options.soakSteps} steps …`);
    await initBackend({ backend: 'wasm', log: () => {} });
    soakResult = soak(options.soakSteps, options.batch);
  } else if (options.soakSteps === 0) {
    soakResult = '--soak-steps 0';
  }

  const report = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      loadAverage: os.loadavg(),
      node: process.version,
    },
    options: {
      batch: options.batch,
      windows: options.windows,
      stepsPerWindow: options.stepsPerWindow,
    },
    results,
    // Median over interleaved rounds of (tfjs images/s) / (PyTorch images/s).
    trainSpeedRatioVsPytorch: torchRatio,
    soak: soakResult,
  };
  mkdirSync(options.out, { recursive: true });
  const path = join(options.out, 'perf.json');
  await writeAtomic(path, `${JSON.stringify(report, null, 2)}\n`);
  console.log(markdown(results, torchRatio, soakResult));
  const wasm = results.wasm;
  if (typeof wasm !== 'string' && wasm.topKernels) {
    console.log('\nTop wasm kernels in one training step (ms, min of 3 profiled steps):');
    for (const k of wasm.topKernels) console.log(`  ${fmt(k.ms, 2).padStart(7)}  ${k.kernel}`);
  }
  console.log(
    `\nload average while running: ${os
      .loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')}; wrote ${path}`,
  );
}

await main();

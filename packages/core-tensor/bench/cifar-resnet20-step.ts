/**
 * CIFAR ResNet-20 training step, batch 128, on the wasm backend against
 * PyTorch (bench/torch_cifar_resnet20.py, the same network, at 1 and at 2
 * threads) interleaved window by window in one run, so both see the same
 * machine load. One step: forward, softmax cross-entropy, backward, SGD
 * momentum 0.9 (`FusedMomentumOptimizer`, as the trainer runs it) on a fixed random batch (core-tensor's `cifarResNet()`).
 *
 *   npx tsx bench/cifar-resnet20-step.ts [--windows N] [--quick] [--no-torch] [--profile] [--json FILE]
 *
 * `--profile` adds one profiled step: kernel time per kernel name and the top shapes.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import {
  cifarResNet,
  FusedMomentumOptimizer,
  initBackend,
  softmaxCrossEntropy,
} from '../src/index';

const here = dirname(fileURLToPath(import.meta.url));
const BATCH = 128;

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function loadavg(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

async function main() {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  // Seven windows: both sides move 10–15% from window to window on a 2-core VM, and with
  // three a single slow window (a descheduled pool thread, a neighbour's burst) moved the median.
  const windows = Number(option(argv, '--windows') ?? (quick ? 1 : 7));
  const jsonPath = option(argv, '--json');
  const loadBefore = loadavg();
  const choice = await initBackend({ backend: 'wasm', log: () => {} });
  const model = cifarResNet({ seed: 0 });
  // What adversarial-trainer's { name: 'momentum' } builds: tfjs's momentum SGD, one kernel per variable.
  const optimizer = new FusedMomentumOptimizer(0.01, 0.9);
  const x = tf.randomUniform([BATCH, 32, 32, 3], 0, 1, 'float32', 1);
  const labels = tf.randomUniform([BATCH], 0, 10, 'int32', 2) as tf.Tensor1D;
  const step = () => {
    const loss = optimizer.minimize(
      () =>
        // The trainer's loss (adversarial-trainer's `crossEntropy`): the fused per-sample kernel, averaged.
        tf.mean(
          softmaxCrossEntropy(model.apply(x, { training: true }) as tf.Tensor2D, labels),
        ) as tf.Scalar,
      true,
    ) as tf.Scalar;
    return loss;
  };
  step().dispose();
  const child = argv.includes('--no-torch')
    ? null
    : spawn('/usr/bin/python3', [join(here, 'torch_cifar_resnet20.py'), String(BATCH)]);
  const queue: Array<(line: string) => void> = [];
  if (child) createInterface({ input: child.stdout }).on('line', (line) => queue.shift()?.(line));
  const ask = (count: number, threads: number) =>
    new Promise<number>((resolve) => {
      queue.push((line) => resolve(Number(line)));
      child?.stdin.write(`train ${count} ${threads}\n`);
    });
  if (child) await ask(1, 1);
  const perWindow = quick ? 1 : 2;
  const ours: number[] = [];
  const torch = { threads1: [] as number[], threads2: [] as number[] };
  for (let w = 0; w < windows; w++) {
    const start = performance.now();
    for (let i = 0; i < perWindow; i++) {
      const loss = step();
      if (i === perWindow - 1) loss.dataSync();
      loss.dispose();
    }
    ours.push((performance.now() - start) / perWindow);
    if (child) {
      torch.threads1.push(await ask(perWindow, 1));
      torch.threads2.push(await ask(perWindow, 2));
    }
  }
  child?.stdin.end('quit\n');
  const rate = (ms: number) => (BATCH * 1000) / ms;
  const result: Record<string, unknown> = {
    batch: BATCH,
    wasmThreads: choice.wasmThreads?.count ?? 1,
    load: { before: loadBefore, after: loadavg() },
    trustgrad: { stepMs: median(ours), imagesPerSecond: rate(median(ours)) },
  };
  console.log(
    `CIFAR ResNet-20 training step, batch ${BATCH}: trustgrad wasm ${median(ours).toFixed(0)} ms (${rate(median(ours)).toFixed(0)} img/s); load ${result.load ? JSON.stringify(result.load) : ''}`,
  );
  if (child) {
    const [one, two] = [median(torch.threads1), median(torch.threads2)];
    result.torch = { threads1StepMs: one, threads2StepMs: two };
    result.ratio = Math.min(one, two) / median(ours);
    console.log(
      `  PyTorch 1 thread ${one.toFixed(0)} ms, 2 threads ${two.toFixed(0)} ms; ratio vs the faster ${(result.ratio as number).toFixed(2)}×`,
    );
  }
  if (argv.includes('--profile')) {
    // Where one step's kernel time goes: per kernel name, then the top shapes.
    const info = await tf.profile(() => {
      const loss = step();
      loss.dataSync();
      loss.dispose();
    });
    const byName = new Map<string, number>();
    const byShape = new Map<string, { ms: number; calls: number }>();
    let total = 0;
    for (const k of info.kernels) {
      const ms = (await k.kernelTimeMs) as number;
      total += ms;
      byName.set(k.name, (byName.get(k.name) ?? 0) + ms);
      const key = `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join('')}`;
      const e = byShape.get(key) ?? { ms: 0, calls: 0 };
      e.ms += ms;
      e.calls++;
      byShape.set(key, e);
    }
    console.log(`\none step: ${total.toFixed(0)} ms in kernels`);
    for (const [name, ms] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 16)) {
      console.log(`  ${name} ${ms.toFixed(0)} ms (${((100 * ms) / total).toFixed(0)}%)`);
    }
    for (const [key, e] of [...byShape].sort((a, b) => b[1].ms - a[1].ms).slice(0, 16)) {
      console.log(`  ${key} ×${e.calls} ${e.ms.toFixed(0)} ms`);
    }
  }
  if (jsonPath) writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  tf.dispose([x, labels]);
  optimizer.dispose();
  model.dispose();
}

await main();

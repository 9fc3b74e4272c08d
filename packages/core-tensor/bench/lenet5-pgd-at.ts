/**
 * LeNet-5 PGD-40 adversarial training (the paper's FMNIST workload), batch 32,
 * on the wasm backend against PyTorch in the same run, plus where the time
 * goes: per kernel, ms per AT step and achieved GFLOP/s, against this
 * machine's wasm-SIMD peak (a tight f32x4 multiply-add loop).
 *
 *   npx tsx bench/lenet5-pgd-at.ts [--windows N] [--no-torch] [--unfused]
 *
 * LeNet-5: conv 6@5×5 valid → ReLU → maxpool 2 → conv 16@5×5 valid → ReLU →
 * maxpool 2 → fc 120 → fc 84 → fc 10, built here with tfjs-layers. One AT
 * step = PGD-L∞ (ε 0.1, step 0.01, 40 steps, random start, clip [0, 1]) and
 * one Adam step on the adversarial batch; bench/torch_lenet5_pgd.py is the same.
 * The PGD update is core-tensor's fused `pgdLinfStep` (`--unfused`: the five
 * tfjs ops sign, mul, add, sub + clips it replaces).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend, pgdLinfStep } from '../src/index';

const here = dirname(fileURLToPath(import.meta.url));
const BATCH = 32;
const [EPS, ALPHA, STEPS] = [0.1, 0.01, 40];

function lenet5(): tfl.LayersModel {
  const init = (k: number) => tfl.initializers.glorotUniform({ seed: k });
  const model = tfl.sequential();
  model.add(
    tfl.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 6,
      kernelSize: 5,
      activation: 'relu',
      kernelInitializer: init(1),
    }),
  );
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(
    tfl.layers.conv2d({
      filters: 16,
      kernelSize: 5,
      activation: 'relu',
      kernelInitializer: init(2),
    }),
  );
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 120, activation: 'relu', kernelInitializer: init(3) }));
  model.add(tfl.layers.dense({ units: 84, activation: 'relu', kernelInitializer: init(4) }));
  model.add(tfl.layers.dense({ units: 10, kernelInitializer: init(5) }));
  return model;
}

function workload(fused: boolean) {
  const model = lenet5();
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
  const oneHot = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2) as tf.Tensor1D, 10);
  const loss = (input: tf.Tensor) =>
    tf.losses.softmaxCrossEntropy(oneHot, model.apply(input) as tf.Tensor) as tf.Scalar;
  const gradient = tf.grad(loss);
  let seed = 3;
  const atStep = (): tf.Scalar => {
    let xAdv = tf.tidy(() =>
      tf.clipByValue(tf.add(x, tf.randomUniform(x.shape, -EPS, EPS, 'float32', seed++)), 0, 1),
    );
    for (let k = 0; k < STEPS; k++) {
      const next = tf.tidy(() =>
        fused
          ? pgdLinfStep(xAdv, gradient(xAdv), x, { stepSize: ALPHA, epsilon: EPS, range: [0, 1] })
          : tf.clipByValue(
              tf.add(
                x,
                tf.clipByValue(
                  tf.sub(tf.add(xAdv, tf.mul(ALPHA, tf.sign(gradient(xAdv)))), x),
                  -EPS,
                  EPS,
                ),
              ),
              0,
              1,
            ),
      );
      xAdv.dispose();
      xAdv = next;
    }
    const adv = xAdv;
    const value = optimizer.minimize(() => loss(adv), true) as tf.Scalar;
    adv.dispose();
    return value;
  };
  return {
    atStep,
    dispose: () => {
      tf.dispose([x, oneHot]);
      optimizer.dispose();
      model.dispose();
    },
  };
}

/** Forward FLOPs (2 per multiply-add) of each conv/matMul kernel, from its shapes; backward ones from theirs. */
function kernelFlops(name: string, inputShapes: number[][], outputShapes: number[][]): number {
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const [a, b] = inputShapes;
  const out = outputShapes[0] ?? [];
  switch (name) {
    case 'Conv2D':
    case 'FusedConv2D': // out [n, oh, ow, oc] · fh·fw·ic
      return 2 * size(out) * b[0] * b[1] * b[2];
    case 'Conv2DBackpropInput': // dy [n, oh, ow, oc], filter [fh, fw, ic, oc]
      return 2 * size(a) * b[0] * b[1] * b[2];
    case 'Conv2DBackpropFilter': // x, dy [n, oh, ow, oc], out filter
      return 2 * size(b) * out[0] * out[1] * out[2];
    case 'BatchMatMul':
    case '_FusedMatMul': // [.., m, k] · [.., k, n]: 2·size(out)·k
      return (
        2 *
        size(out) *
        (a[a.length - 1] === out[out.length - 2] ? a[a.length - 2] : a[a.length - 1])
      );
    default:
      return 0;
  }
}

/** GFLOP/s of one thread running independent f32x4 multiply-adds (8 accumulators), the wasm-SIMD ceiling here. */
async function simdPeakGflops(): Promise<number> {
  const wabt = await (
    createRequire(import.meta.url)('wabt') as () => Promise<{
      parseWat: (n: string, s: string) => { toBinary: (o: object) => { buffer: Uint8Array } };
    }>
  )();
  const accs = Array.from({ length: 8 }, (_, i) => `(local $a${i} v128)`).join(' ');
  const body = Array.from(
    { length: 8 },
    (_, i) =>
      `(local.set $a${i} (f32x4.add (f32x4.mul (local.get $a${i}) (local.get $m)) (local.get $c)))`,
  ).join('\n');
  const sum = Array.from({ length: 8 }, (_, i) => `(local.get $a${i})`).reduce(
    (acc, v) => `(f32x4.add ${acc} ${v})`,
  );
  const wat = `(module (func (export "run") (param $n i32) (result f32) (local $m v128) (local $c v128) ${accs}
    (local.set $m (f32x4.splat (f32.const 0.999))) (local.set $c (f32x4.splat (f32.const 0.001)))
    (block $end (loop $l (br_if $end (i32.eqz (local.get $n))) ${body}
      (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $l)))
    (f32x4.extract_lane 0 ${sum})))`;
  const bytes = wabt.parseWat('peak.wat', wat).toBinary({}).buffer;
  const { run } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as {
    run: (n: number) => number;
  };
  run(1e6);
  const iterations = 5e7;
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) {
    const start = performance.now();
    run(iterations);
    best = Math.min(best, performance.now() - start);
  }
  // 8 accumulators × 4 lanes × (mul + add) per iteration.
  return (iterations * 8 * 4 * 2) / (best * 1e6);
}

function torchServer() {
  const child = spawn('/usr/bin/python3', [join(here, 'torch_lenet5_pgd.py'), String(BATCH)]);
  const lines = createInterface({ input: child.stdout });
  const queue: Array<(line: string) => void> = [];
  lines.on('line', (line) => queue.shift()?.(line));
  const ask = (steps: number, threads: number) =>
    new Promise<number>((resolve) => {
      queue.push((line) => resolve(Number(line)));
      child.stdin.write(`at ${steps} ${threads}\n`);
    });
  return { ask, quit: () => child.stdin.end('quit\n') };
}

/** The 1, 5 and 15-minute load averages (the machine is shared: figures mean little without them). */
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
  const windows = argv.includes('--windows') ? Number(argv[argv.indexOf('--windows') + 1]) : 3;
  const withTorch = !argv.includes('--no-torch');
  const loadBefore = loadavg();
  const choice = await initBackend({ backend: 'wasm', log: () => {} });
  const { atStep, dispose } = workload(!argv.includes('--unfused'));
  for (let i = 0; i < 2; i++) atStep().dispose();
  const torch = withTorch ? torchServer() : null;
  if (torch) await torch.ask(1, 1);
  const ours: number[] = [];
  const torch1: number[] = [];
  const torch2: number[] = [];
  for (let w = 0; w < windows; w++) {
    const start = performance.now();
    for (let i = 0; i < 2; i++) {
      const s = atStep();
      if (i === 1) s.dataSync();
      s.dispose();
    }
    ours.push((performance.now() - start) / 2);
    if (torch) {
      torch1.push(await torch.ask(2, 1));
      torch2.push(await torch.ask(2, 2));
    }
  }
  torch?.quit();
  console.log(`load average (1/5/15 min) before ${loadBefore}, after ${loadavg()}`);
  const rate = (ms: number) => (BATCH * 1000) / ms;
  const threads = choice.wasmThreads?.count ?? 1;
  console.log(
    `LeNet-5 PGD-40 AT, batch ${BATCH}: trustgrad wasm (${threads} thread(s)) ${rate(median(ours)).toFixed(1)} img/s`,
  );
  if (torch) {
    const best = Math.max(rate(median(torch1)), rate(median(torch2)));
    console.log(
      `  PyTorch 1 thread ${rate(median(torch1)).toFixed(1)} img/s, 2 threads ${rate(median(torch2)).toFixed(1)} img/s; ratio vs the faster ${(rate(median(ours)) / best).toFixed(2)}×`,
    );
  }
  const peak = await simdPeakGflops();
  console.log(`wasm-SIMD peak (one thread, f32x4 mul+add): ${peak.toFixed(1)} GFLOP/s`);
  const info = await tf.profile(() => {
    const s = atStep();
    s.dataSync();
    s.dispose();
  });
  const perKernel = new Map<string, { ms: number; flops: number; calls: number }>();
  let total = 0;
  for (const k of info.kernels) {
    const ms = (await k.kernelTimeMs) as number;
    total += ms;
    const key = `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join('')}`;
    const entry = perKernel.get(key) ?? { ms: 0, flops: 0, calls: 0 };
    entry.ms += ms;
    entry.calls++;
    entry.flops += kernelFlops(k.name, k.inputShapes, k.outputShapes);
    perKernel.set(key, entry);
  }
  console.log(`\nper kernel, one AT step (${total.toFixed(0)} ms in kernels):`);
  console.log('| kernel [input shapes] | calls | ms | share | GFLOP/s | % of peak |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [key, e] of [...perKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14)) {
    const gflops = e.flops ? e.flops / (e.ms * 1e6) : 0;
    console.log(
      `| ${key} | ${e.calls} | ${e.ms.toFixed(1)} | ${((100 * e.ms) / total).toFixed(0)}% | ${gflops ? gflops.toFixed(2) : '–'} | ${gflops ? ((100 * gflops) / peak).toFixed(0) : '–'} |`,
    );
  }
  dispose();
}

await main();

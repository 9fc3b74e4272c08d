/**
 * LeNet-5 PGD-40 adversarial training (the paper's FMNIST workload), batch 32,
 * on the wasm backend against PyTorch in the same run, plus where the time
 * goes: per kernel, ms per AT step and achieved GFLOP/s, against this
 * machine's wasm-SIMD peak (a tight f32x4 multiply-add loop).
 *
 *   npx tsx bench/lenet5-pgd-at.ts [--windows N] [--quick] [--no-torch] [--no-profile] [--unfused] [--json FILE]
 *
 * LeNet-5: conv 6@5×5 valid → ReLU → maxpool 2 → conv 16@5×5 valid → ReLU →
 * maxpool 2 → fc 120 → fc 84 → fc 10, built here with tfjs-layers. One AT
 * step = PGD-L∞ (ε 0.1, step 0.01, 40 steps, random start, clip [0, 1]) and
 * one Adam step on the adversarial batch, softmax cross-entropy as the trainer
 * computes it (core-tensor's fused `softmaxCrossEntropy`, averaged); bench/torch_lenet5_pgd.py is the same.
 * It also times standard-training steps (Adam on the clean batch) the same way
 * and prints the projected training time of the fms-fmnist protocol (SPEC 6)
 * and of fms-fmnist-lite at those rates, for both engines.
 * The PGD update is core-tensor's fused `pgdLinfStep` (`--unfused`: the five
 * tfjs ops sign, mul, add, sub + clips it replaces).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { FusedAdamOptimizer, initBackend, pgdLinfStep, softmaxCrossEntropy } from '../src/index';
import { fusedMultiplyAddWanted } from '../src/kernels/wasm/fused-multiply-add';

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
  // The trainer's `adam`: tfjs's Adam bit for bit, one fused kernel per variable.
  const optimizer = new FusedAdamOptimizer(1e-3, 0.9, 0.999, 1e-7);
  const x = tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
  const labels = tf.randomUniform([BATCH], 0, 10, 'int32', 2) as tf.Tensor1D;
  // The trainer's loss (adversarial-trainer's `crossEntropy`): the fused per-sample kernel, averaged.
  const loss = (input: tf.Tensor) =>
    tf.mean(softmaxCrossEntropy(model.apply(input) as tf.Tensor2D, labels)) as tf.Scalar;
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
  /** One standard-training step: Adam on the clean batch. */
  const stStep = (): tf.Scalar => optimizer.minimize(() => loss(x), true) as tf.Scalar;
  return {
    atStep,
    stStep,
    dispose: () => {
      tf.dispose([x, labels]);
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

/**
 * GFLOP/s of one thread running independent f32x4 multiply-adds (12
 * accumulators, enough to cover an FMA's latency), the wasm-SIMD ceiling here:
 * as `f32x4.mul` + `f32x4.add`, or fused as relaxed SIMD's `f32x4.relaxed_madd`.
 */
async function simdPeakGflops(fused: boolean): Promise<number> {
  const wabt = await (
    createRequire(import.meta.url)('wabt') as () => Promise<{
      parseWat: (
        n: string,
        s: string,
        features?: object,
      ) => { toBinary: (o: object) => { buffer: Uint8Array } };
    }>
  )();
  const ACCUMULATORS = 12;
  const accs = Array.from({ length: ACCUMULATORS }, (_, i) => `(local $a${i} v128)`).join(' ');
  const body = Array.from({ length: ACCUMULATORS }, (_, i) =>
    fused
      ? `(local.set $a${i} (f32x4.relaxed_madd (local.get $a${i}) (local.get $m) (local.get $c)))`
      : `(local.set $a${i} (f32x4.add (f32x4.mul (local.get $a${i}) (local.get $m)) (local.get $c)))`,
  ).join('\n');
  const sum = Array.from({ length: ACCUMULATORS }, (_, i) => `(local.get $a${i})`).reduce(
    (acc, v) => `(f32x4.add ${acc} ${v})`,
  );
  const wat = `(module (func (export "run") (param $n i32) (result f32) (local $m v128) (local $c v128) ${accs}
    (local.set $m (f32x4.splat (f32.const 0.999))) (local.set $c (f32x4.splat (f32.const 0.001)))
    (block $end (loop $l (br_if $end (i32.eqz (local.get $n))) ${body}
      (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $l)))
    (f32x4.extract_lane 0 ${sum})))`;
  const bytes = wabt.parseWat('peak.wat', wat, { relaxed_simd: true }).toBinary({}).buffer;
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
  // ACCUMULATORS × 4 lanes × (mul + add) per iteration.
  return (iterations * ACCUMULATORS * 4 * 2) / (best * 1e6);
}

function torchServer() {
  const child = spawn('/usr/bin/python3', [join(here, 'torch_lenet5_pgd.py'), String(BATCH)]);
  const lines = createInterface({ input: child.stdout });
  const queue: Array<(line: string) => void> = [];
  lines.on('line', (line) => queue.shift()?.(line));
  const ask = (steps: number, threads: number, kind: 'at' | 'st' = 'at') =>
    new Promise<number>((resolve) => {
      queue.push((line) => resolve(Number(line)));
      child.stdin.write(`${kind} ${steps} ${threads}\n`);
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

/** Images each protocol trains on, per run kind (SPEC 6 and the lite preset of issue 18). */
const PROTOCOLS = {
  // LeNet-5 on 60 000 images: ST 50 epochs; AT 40 epochs of PGD-40; AT+FMS the same per ε of 5.
  'fms-fmnist': { st: 60_000 * 50, at: 60_000 * 40 * (1 + 5) },
  // Stratified 20 000 images, 2 epochs: ST and ST+FMS; AT ε 0.1, AT+FMS ε 0.1 and 0.01.
  'fms-fmnist-lite': { st: 20_000 * 2 * 2, at: 20_000 * 2 * 3 },
} as const;

/** Hours to train a protocol's images at the given img/s (training only; FMS block overhead not included). */
function projectHours(protocol: { st: number; at: number }, stRate: number, atRate: number) {
  return (protocol.st / stRate + protocol.at / atRate) / 3600;
}

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main() {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  // Seven windows, as the ResNet-20 benchmark: PyTorch's 2-thread AT rate alone read
  // 98–162 img/s across one day's runs of three.
  const windows = Number(option(argv, '--windows') ?? (quick ? 1 : 7));
  const withTorch = !argv.includes('--no-torch');
  const jsonPath = option(argv, '--json');
  const loadBefore = loadavg();
  const choice = await initBackend({ backend: 'wasm', log: () => {} });
  const { atStep, stStep, dispose } = workload(!argv.includes('--unfused'));
  for (let i = 0; i < 2; i++) atStep().dispose();
  for (let i = 0; i < 3; i++) stStep().dispose();
  const torch = withTorch ? torchServer() : null;
  if (torch) {
    await torch.ask(1, 1);
    await torch.ask(3, 1, 'st');
  }
  const timed = (step: () => tf.Scalar, count: number) => {
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const s = step();
      if (i === count - 1) s.dataSync();
      s.dispose();
    }
    return (performance.now() - start) / count;
  };
  // Per window: our AT steps, PyTorch's at 1 and 2 threads, then the same for ST steps.
  const ms = { at: [] as number[], st: [] as number[] };
  const torchMs = {
    at1: [] as number[],
    at2: [] as number[],
    st1: [] as number[],
    st2: [] as number[],
  };
  const [atCount, stCount] = quick ? [1, 10] : [2, 30];
  for (let w = 0; w < windows; w++) {
    ms.at.push(timed(atStep, atCount));
    if (torch) {
      torchMs.at1.push(await torch.ask(atCount, 1));
      torchMs.at2.push(await torch.ask(atCount, 2));
    }
    ms.st.push(timed(stStep, stCount));
    if (torch) {
      torchMs.st1.push(await torch.ask(stCount, 1, 'st'));
      torchMs.st2.push(await torch.ask(stCount, 2, 'st'));
    }
  }
  torch?.quit();
  const loadAfter = loadavg();
  console.log(`load average (1/5/15 min) before ${loadBefore}, after ${loadAfter}`);
  const rate = (v: number[]) => (BATCH * 1000) / median(v);
  const threads = choice.wasmThreads?.count ?? 1;
  const result: Record<string, unknown> = {
    batch: BATCH,
    wasmThreads: threads,
    load: { before: loadBefore, after: loadAfter },
    trustgrad: { atImagesPerSecond: rate(ms.at), stImagesPerSecond: rate(ms.st) },
  };
  console.log(
    `LeNet-5, batch ${BATCH}, trustgrad wasm (${threads} thread(s)): PGD-40 AT ${rate(ms.at).toFixed(1)} img/s, ST ${rate(ms.st).toFixed(0)} img/s`,
  );
  const ours = result.trustgrad as { atImagesPerSecond: number; stImagesPerSecond: number };
  const projections: Record<string, Record<string, number>> = {};
  for (const [name, protocol] of Object.entries(PROTOCOLS)) {
    projections[name] = {
      trustgradHours: projectHours(protocol, ours.stImagesPerSecond, ours.atImagesPerSecond),
    };
  }
  if (torch) {
    const t = {
      at1: rate(torchMs.at1),
      at2: rate(torchMs.at2),
      st1: rate(torchMs.st1),
      st2: rate(torchMs.st2),
    };
    const [bestAt, bestSt] = [Math.max(t.at1, t.at2), Math.max(t.st1, t.st2)];
    result.torch = {
      atImagesPerSecond: { threads1: t.at1, threads2: t.at2 },
      stImagesPerSecond: { threads1: t.st1, threads2: t.st2 },
    };
    result.ratio = { at: ours.atImagesPerSecond / bestAt, st: ours.stImagesPerSecond / bestSt };
    console.log(
      `  PyTorch AT 1 thread ${t.at1.toFixed(1)}, 2 threads ${t.at2.toFixed(1)} img/s; ratio vs the faster ${(ours.atImagesPerSecond / bestAt).toFixed(2)}×`,
    );
    console.log(
      `  PyTorch ST 1 thread ${t.st1.toFixed(0)}, 2 threads ${t.st2.toFixed(0)} img/s; ratio vs the faster ${(ours.stImagesPerSecond / bestSt).toFixed(2)}×`,
    );
    for (const [name, protocol] of Object.entries(PROTOCOLS)) {
      projections[name].torchBestHours = projectHours(protocol, bestSt, bestAt);
    }
  }
  result.projectedTrainingHours = projections;
  for (const [name, p] of Object.entries(projections)) {
    console.log(
      `projected training time of ${name} on this machine: trustgrad ${p.trustgradHours.toFixed(2)} h` +
        (p.torchBestHours !== undefined
          ? `, PyTorch (faster thread count) ${p.torchBestHours.toFixed(2)} h`
          : '') +
        ' (training steps only, at the rates above; no evaluation, FMS block overhead not included)',
    );
  }
  if (argv.includes('--no-profile')) {
    if (jsonPath) writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
    dispose();
    return;
  }
  const unfusedPeak = await simdPeakGflops(false);
  const fused = fusedMultiplyAddWanted();
  const fusedPeak = fused ? await simdPeakGflops(true) : null;
  // The kernels multiply-add fused where the engine allows it: that loop is then the ceiling.
  const peak = fusedPeak ?? unfusedPeak;
  console.log(
    `wasm-SIMD peak (one thread): f32x4 mul+add ${unfusedPeak.toFixed(1)} GFLOP/s${fusedPeak ? `, f32x4.relaxed_madd ${fusedPeak.toFixed(1)} GFLOP/s (the fused kernels' ceiling: "% of peak" below is against it)` : ' (no relaxed SIMD here: the kernels run unfused)'}`,
  );
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
  result.simdPeakGflops = peak;
  result.simdPeakUnfusedGflops = unfusedPeak;
  result.kernelMsPerAtStep = total;
  if (jsonPath) writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  dispose();
}

await main();

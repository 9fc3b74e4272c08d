/**
 * `pnpm bench:perf`: every package's speed measurement (SPEC 5) run one after
 * the other, so none competes with another for the two cores, gathered into
 * one `perf.json` and one Markdown table (`perf.md`), PyTorch beside tfjs
 * wherever Debian's python3-torch is installed.
 *
 * Options: `--out DIR` (default `perf/`), `--quick` (fewer timed windows and
 * soak steps, for a smoke check), `--only a,b` (sections by name).
 *
 * perf.md opens with the issue-18 table: every workload's ratio against
 * PyTorch at its faster thread count (1 or 2) and the projected training time
 * of the fms-fmnist and fms-fmnist-lite protocols.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAtomic } from '@trustgrad/core-tensor';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const python = process.env.TRUSTGRAD_PYTHON ?? '/usr/bin/python3';

interface Section {
  name: string;
  /** What is measured, for the table. */
  title: string;
  run: (out: string, quick: boolean) => Record<string, unknown>;
}

function tsxScript(pkg: string, script: string, args: string[]): string {
  const result = spawnSync(tsx, ['--conditions=source', script, ...args], {
    cwd: join(root, pkg),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${pkg}/${script} exited with ${result.status}`);
  return result.stdout;
}

const readJson = (path: string) =>
  JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/**
 * Runs a bench script that writes its record to `--json <out>/<file>`, echoes
 * what it prints, and returns the record.
 */
function jsonScript(
  out: string,
  file: string,
  pkg: string,
  script: string,
  args: string[],
): Record<string, unknown> {
  const path = join(out, file);
  process.stdout.write(tsxScript(pkg, script, [...args, '--json', path]));
  return readJson(path);
}

/** The record a script prints as its last stdout line (JSON), `{}` when none. */
function lastJsonLine(text: string): Record<string, unknown> {
  return JSON.parse(text.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
}

function torchAvailable(): boolean {
  try {
    execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const SECTIONS: Section[] = [
  {
    name: 'training',
    title:
      'FMNIST-CNN training img/s and input-gradient time, batch 64, per backend, vs PyTorch; soak',
    run: (out, quick) => {
      const dir = join(out, 'core-tensor');
      const args = ['--out', dir, ...(quick ? ['--soak-steps', '50', '--windows', '3'] : [])];
      process.stdout.write(tsxScript('packages/core-tensor', 'bench/perf.ts', args));
      return readJson(join(dir, 'perf.json'));
    },
  },
  {
    name: 'smoothing',
    title: 'Overhead of the FMS block after conv1 on an FMNIST-CNN training step (target ≤ 10%)',
    run: (out, quick) => {
      return jsonScript(
        out,
        'smoothing.json',
        'packages/smoothing-layer',
        'bench/smoothing-overhead.ts',
        ['--steps', quick ? '6' : '41'],
      );
    },
  },
  {
    name: 'adversarial',
    title: 'PGD-7 adversarial training step cost / standard step (target ≤ ~8.5x), tfjs vs PyTorch',
    run: (out, quick) => {
      const steps = quick ? '3' : '8';
      const tfjs = jsonScript(
        out,
        'at-step.json',
        'packages/adversarial-trainer',
        'bench/at-step-cost.ts',
        ['--steps', steps],
      ) as { pgd7StepMs?: number } & Record<string, unknown>;
      if (!torchAvailable()) return { tfjs, torch: 'python3-torch not installed' };
      const torch: Record<string, unknown> = {};
      for (const threads of [1, 2]) {
        const text = execFileSync(
          python,
          [
            join(root, 'packages/adversarial-trainer/bench/torch_at_step.py'),
            '--no-tfjs',
            '--steps',
            steps,
            '--threads',
            String(threads),
          ],
          { encoding: 'utf8' },
        );
        process.stdout.write(text);
        const match =
          /standard ([\d.]+) ms\/step.*PGD-7 AT ([\d.]+) ms\/step.*ratio ([\d.]+)x/.exec(text);
        torch[`threads${threads}`] = match
          ? {
              standardStepMs: Number(match[1]),
              pgd7StepMs: Number(match[2]),
              ratio: Number(match[3]),
            }
          : text.trim();
      }
      const fastest = Math.min(
        ...Object.values(torch).map((t) => (t as { pgd7StepMs?: number }).pgd7StepMs ?? Infinity),
      );
      // img/s ratio = PyTorch ms / our ms, against the faster thread count.
      const pgd7VsTorch = tfjs.pgd7StepMs ? fastest / tfjs.pgd7StepMs : null;
      return { tfjs, torch, pgd7VsFasterTorch: pgd7VsTorch };
    },
  },
  {
    name: 'lenet5-pgd-at',
    title:
      "LeNet-5 PGD-40 AT and ST, batch 32 (the FMS paper's FMNIST workload), vs PyTorch at 1 and 2 threads; projected fms-fmnist / fms-fmnist-lite training time",
    run: (out, quick) => {
      return jsonScript(
        out,
        'lenet5-pgd-at.json',
        'packages/core-tensor',
        'bench/lenet5-pgd-at.ts',
        [
          ...(quick ? ['--quick', '--no-profile'] : []),
          ...(torchAvailable() ? [] : ['--no-torch']),
        ],
      );
    },
  },
  {
    name: 'cifar-resnet20',
    title: 'CIFAR ResNet-20 training step, batch 128, vs PyTorch at 1 and 2 threads',
    run: (out, quick) => {
      return jsonScript(
        out,
        'cifar-resnet20.json',
        'packages/core-tensor',
        'bench/cifar-resnet20-step.ts',
        [...(quick ? ['--quick'] : []), ...(torchAvailable() ? [] : ['--no-torch'])],
      );
    },
  },
  {
    name: 'attribution',
    title:
      'Integrated Gradients (32 steps) maps/s on the FMNIST CNN, batch 64, tfjs vs PyTorch (target ≥ 1.0x)',
    run: (out, quick) => {
      const record = jsonScript(out, 'ig.json', 'packages/attribution', 'bench/ig-throughput.ts', [
        '--runs',
        quick ? '1' : '3',
      ]) as Record<string, unknown> & {
        trustgrad?: { mapsPerSecond?: number };
        batch?: number;
        steps?: number;
        chunk?: number;
      };
      if (!torchAvailable() || !record.trustgrad?.mapsPerSecond) return record;
      // ig-throughput runs PyTorch at its default thread count; the issue compares
      // with the faster of 1 and 2 threads, so run it at both here.
      const byThreads: Record<string, number> = {};
      for (const threads of [1, 2]) {
        const text = execFileSync(
          python,
          [
            join(root, 'packages/attribution/bench/torch_ig.py'),
            '--batch',
            String(record.batch ?? 64),
            '--steps',
            String(record.steps ?? 32),
            '--chunk',
            String(record.chunk ?? 64),
            '--runs',
            quick ? '1' : '3',
            '--threads',
            String(threads),
          ],
          { encoding: 'utf8' },
        );
        const last = lastJsonLine(text) as { maps_per_s?: number };
        if (last.maps_per_s) byThreads[`threads${threads}`] = last.maps_per_s;
      }
      const fastest = Math.max(...Object.values(byThreads));
      return {
        ...record,
        torchMapsPerSecond: byThreads,
        ratioVsFasterTorch: Number.isFinite(fastest)
          ? record.trustgrad.mapsPerSecond / fastest
          : null,
      };
    },
  },
  {
    name: 'attribution-methods',
    title:
      'Maps/s of occlusion, feature ablation, GradientSHAP, noise tunnel, guided/deconv, DeepLIFT, LRP and layer methods on the FMNIST CNN (VG and IG-32 for reference)',
    run: (out, quick) => {
      return jsonScript(
        out,
        'attribution-methods.json',
        'packages/attribution',
        'bench/methods-throughput.ts',
        ['--batch', quick ? '4' : '16', '--runs', quick ? '1' : '2'],
      );
    },
  },
  {
    name: 'metrics',
    title:
      'RIS with 50 perturbations per image, VG, real FMNIST test images (extrapolated to 1000 images)',
    run: (_out, quick) => {
      const text = tsxScript('packages/metrics', 'bench/ris-throughput.ts', [
        '--images',
        quick ? '20' : '100',
      ]);
      process.stdout.write(text);
      return lastJsonLine(text);
    },
  },
  {
    name: 'quantus-metrics',
    title:
      'Quantus-family metrics (faithfulness, randomisation, complexity, axiomatic; Quantus defaults): metric values/s on the FMNIST CNN, VG maps, real FMNIST test images',
    run: (_out, quick) => {
      const text = tsxScript('packages/metrics', 'bench/quantus-metrics-throughput.ts', [
        '--images',
        quick ? '4' : '32',
      ]);
      process.stdout.write(text);
      return lastJsonLine(text);
    },
  },
];

function flatten(value: unknown, prefix = ''): Array<[string, string]> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      flatten(v, prefix ? `${prefix}.${k}` : k),
    );
  }
  const text =
    typeof value === 'number'
      ? Number.isInteger(value)
        ? String(value)
        : value.toPrecision(4)
      : JSON.stringify(value);
  return [[prefix, text]];
}

/** Reads `path` (dot-separated keys) out of a section's result, or undefined. */
function pick(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
      value,
    );
}

/**
 * The issue-18 table: each workload's trustgrad/PyTorch throughput ratio
 * against PyTorch's faster thread count (1 or 2), then the projected
 * training time of the fms-fmnist protocols.
 */
function ratioSummary(results: Record<string, unknown>): string[] {
  const rows: Array<[string, unknown]> = [
    ['FMNIST CNN training, batch 64', pick(results.training, 'trainSpeedRatioVsPytorch.wasm')],
    ['LeNet-5 PGD-40 AT, batch 32', pick(results['lenet5-pgd-at'], 'ratio.at')],
    ['LeNet-5 standard training, batch 32', pick(results['lenet5-pgd-at'], 'ratio.st')],
    ['PGD-7 AT on the FMNIST CNN, batch 64', pick(results.adversarial, 'pgd7VsFasterTorch')],
    ['IG-32 maps/s, FMNIST CNN', pick(results.attribution, 'ratioVsFasterTorch')],
    ['CIFAR ResNet-20 training step, batch 128', pick(results['cifar-resnet20'], 'ratio')],
  ];
  const lines = [
    '## vs PyTorch (its faster of 1 and 2 threads; ≥ 1.0× is the target)',
    '',
    '| workload | trustgrad / PyTorch |',
    '|---|---:|',
  ];
  for (const [name, ratio] of rows) {
    const text = typeof ratio === 'number' ? `${ratio.toFixed(2)}×` : String(ratio ?? 'not run');
    lines.push(`| ${name} | ${text} |`);
  }
  const projections = pick(results['lenet5-pgd-at'], 'projectedTrainingHours') as
    | Record<string, { trustgradHours: number; torchBestHours?: number }>
    | undefined;
  if (projections) {
    lines.push(
      '',
      '| protocol (training steps only) | trustgrad h | PyTorch h |',
      '|---|---:|---:|',
    );
    for (const [name, p] of Object.entries(projections)) {
      lines.push(
        `| ${name} | ${p.trustgradHours.toFixed(2)} | ${p.torchBestHours?.toFixed(2) ?? '–'} |`,
      );
    }
  }
  const load = pick(results['lenet5-pgd-at'], 'load');
  if (load) lines.push('', `Load average during the LeNet-5 run: ${JSON.stringify(load)}.`);
  lines.push('');
  return lines;
}

function markdown(results: Record<string, unknown>, started: string): string {
  const lines = [`# trustgrad perf (${started})`, '', ...ratioSummary(results)];
  for (const section of SECTIONS) {
    if (!(section.name in results)) continue;
    lines.push(`## ${section.name}: ${section.title}`, '', '| measure | value |', '|---|---:|');
    for (const [k, v] of flatten(results[section.name])) lines.push(`| ${k} | ${v} |`);
    lines.push('');
  }
  return lines.join('\n');
}

function main(): void {
  const argv = process.argv.slice(2);
  const outIndex = argv.indexOf('--out');
  const out = resolve(outIndex >= 0 ? argv[outIndex + 1] : join(root, 'perf'));
  const quick = argv.includes('--quick');
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex >= 0 ? new Set(argv[onlyIndex + 1].split(',')) : null;
  mkdirSync(out, { recursive: true });
  const started = new Date().toISOString();
  const results: Record<string, unknown> = { started, torch: torchAvailable() };
  for (const section of SECTIONS.filter((s) => !only || only.has(s.name))) {
    console.log(`\n=== ${section.name}: ${section.title}`);
    try {
      results[section.name] = section.run(out, quick);
    } catch (error) {
      results[section.name] = { error: (error as Error).message };
      console.error(`[perf] ${section.name} failed: ${(error as Error).message}`);
    }
  }
  writeAtomic(join(out, 'perf.json'), `${JSON.stringify(results, null, 2)}\n`);
  const md = markdown(results, started);
  writeAtomic(join(out, 'perf.md'), md);
  console.log(`\n${md}`);
  console.log(`perf written to ${join(out, 'perf.json')} and perf.md`);
  if (existsSync(join(out, 'core-tensor', 'perf.md')))
    console.log(`training table: ${join(out, 'core-tensor', 'perf.md')}`);
}

main();

/**
 * A command line that does not parse. Defined here, not taken from
 * core-tensor, so that `bench --help` answers without loading tfjs.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The parsed command line of `bench`. */
export interface CliArgs {
  command: string;
  positional: string[];
  preset?: string;
  out?: string;
  config?: string;
  set: string[];
  resume: boolean;
  help: boolean;
  /** `bench serve`: port, interface and built viewer folder. */
  port?: string;
  host?: string;
  viewer?: string;

  /** Grid (`run`, `worker`, `status`): `redis://host:port` of the BullMQ queue. */
  queue?: string;
  /** Grid `run`: `s3://bucket/prefix?endpoint=…`, an S3-compatible artefact store. */
  store?: string;
  /** Grid worker: job lock duration, stalled-check interval and checkpoint-upload interval, in ms. */
  lockMs?: number;
  stalledMs?: number;
  pushMs?: number;
}

const VALUE_FLAGS = new Set([
  '--preset',
  '--out',
  '--config',
  '--set',
  '--port',
  '--host',
  '--viewer',
]);
/** The distributed grid's flags (issue 21). */
const GRID_FLAGS = new Set(['--queue', '--store', '--lock-ms', '--stalled-ms', '--push-ms']);
const MS_FLAGS = {
  '--lock-ms': 'lockMs',
  '--stalled-ms': 'stalledMs',
  '--push-ms': 'pushMs',
} as const;

/** Parses `bench <command> [--preset p] [--out d] [--config f] [--set k=v ...] [--resume]`. */
export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { command: '', positional: [], set: [], resume: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (VALUE_FLAGS.has(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      if (flag === '--set') args.set.push(value);
      else args[flag.slice(2) as 'preset' | 'out' | 'config' | 'port' | 'host' | 'viewer'] = value;
    } else if (GRID_FLAGS.has(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      if (flag === '--queue') args.queue = value;
      else if (flag === '--store') args.store = value;
      else {
        const ms = Number(value);
        if (!Number.isInteger(ms) || ms <= 0)
          throw new UsageError(
            `${flag} takes a positive whole number of milliseconds, got "${value}"`,
          );
        args[MS_FLAGS[flag as keyof typeof MS_FLAGS]] = ms;
      }
    } else if (flag === '--resume') {
      args.resume = true;
    } else if (flag === '--help' || flag === '-h') {
      args.help = true;
    } else if (flag.startsWith('-')) {
      throw new UsageError(
        `unknown option ${flag}; options: --preset, --out, --config, --set key=value, --resume, --port, --host, --viewer, --queue redis://host:port, --store s3://bucket/prefix, --lock-ms, --stalled-ms, --push-ms, --help`,
      );
    } else if (!args.command) {
      args.command = arg;
    } else {
      args.positional.push(arg);
    }
  }
  return args;
}

/** The text of `bench --help`. */
export const USAGE = `Usage:
  pnpm bench run --preset <name> [--out dir] [--config file.{json,yaml}] [--set key=value ...] [--resume]
  pnpm bench list                 presets and every registered dataset, model, objective, attack, attribution and metric
  pnpm bench report <dir>         rebuild report.html (and results.md/csv) from <dir>/results.json
  pnpm bench serve <dir> [--port 4173] [--host 127.0.0.1] [--viewer dist]
                                  the viewer (apps/viewer) on <dir>: maps side by side, live explanations, studies
  pnpm bench study analyse <answers> [--out dir]
                                  mean ratings / preference rates per variant with bootstrap CIs and a plot
  pnpm bench run --queue redis://host:port --preset <name> --out <shared dir> [--store s3://bucket/prefix?endpoint=url] [...]
                                  the run as jobs on a BullMQ/Redis grid; waits for the workers, writes the same results folder
                                  (artefacts in <shared dir>, which every worker mounts at that path, or in the S3 store)
  pnpm bench worker --queue redis://host:port [--lock-ms 300000] [--stalled-ms 30000] [--push-ms 2000]
                                  takes train/evaluate jobs of any grid run until stopped (Ctrl-C finishes the current job)
  pnpm bench status --queue redis://host:port
                                  the grid's jobs by state, with each running job's progress

Examples:
  pnpm bench run --preset fmnist-quick --out results/fmnist-quick
  pnpm bench run --preset cifar10 --set dataset.path=/data/cifar-10-batches-bin
  pnpm bench run --preset smoke --set training.epochs=2 --set 'explainers=["vg"]'`;

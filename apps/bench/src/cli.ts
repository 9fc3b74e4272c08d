#!/usr/bin/env node
/**
 * `bench`: run experiments from presets or configs, list what is registered,
 * rebuild reports. See {@link USAGE}. Only the argument parser loads up front;
 * each command imports what it needs, so `bench --help` never loads tfjs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, USAGE, UsageError } from './cli/parse-args';

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help || !args.command) {
    console.log(USAGE);
    return args.command || args.help ? 0 : 1;
  }
  switch (args.command) {
    case 'run': {
      const { loadConfig } = await import('./config/load-config');
      const { runExperiment } = await import('./run/run-experiment');
      const { resultsMarkdown } = await import('./results/write-results');
      if (args.store && !args.queue)
        throw new UsageError(
          "--store is the grid's artefact store: use it with --queue redis://host:port",
        );
      const config = loadConfig({ preset: args.preset, configFile: args.config, set: args.set });
      const out = args.out ?? join('results', config.preset);
      const results = args.queue
        ? await (await import('./grid/run-on-grid')).runOnGrid(config, {
            queue: args.queue,
            out,
            resume: args.resume,
            ...(args.store ? { store: args.store } : {}),
          })
        : await runExperiment(config, { out, resume: args.resume });
      console.log(resultsMarkdown(results));
      console.log(`results written to ${resolve(out)} (open report.html)`);
      return 0;
    }
    case 'list': {
      const { loadConfig } = await import('./config/load-config');
      const { loadPlugins } = await import('./plugins/load-plugins');
      const { listPlugins } = await import('./cli/list-plugins');
      const config =
        args.preset || args.config
          ? loadConfig({ preset: args.preset, configFile: args.config, set: args.set })
          : null;
      if (config) await loadPlugins(config.plugins);
      console.log(listPlugins());
      return 0;
    }
    case 'report': {
      const { TrustgradError } = await import('@trustgrad/core-tensor');
      const { writeResults } = await import('./results/write-results');
      const { renderReport } = await import('./report/render-report');
      const dir = args.positional[0];
      if (!dir || !existsSync(join(dir, 'results.json'))) {
        throw new TrustgradError(
          `bench report needs a results folder holding results.json, got "${dir ?? ''}"`,
        );
      }
      const results = JSON.parse(
        readFileSync(join(dir, 'results.json'), 'utf8'),
      ) as import('./results/results-types').Results;
      writeResults(dir, results);
      console.log(`report written to ${await renderReport(dir)}`);
      return 0;
    }
    case 'serve': {
      const { serveResults } = await import('./serve/serve-results');
      const dir = args.positional[0];
      if (!dir)
        throw new (await import('./cli/parse-args')).UsageError(
          `bench serve needs a results folder\n\n${USAGE}`,
        );
      const port = args.port === undefined ? undefined : Number(args.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
        throw new (await import('./cli/parse-args')).UsageError(
          `--port ${args.port} is not a port (0 to 65535)`,
        );
      }
      const served = await serveResults({ dir, port, host: args.host, viewerDir: args.viewer });
      console.log(`viewer on ${served.url} (results from ${resolve(dir)}); Ctrl-C stops it`);
      await new Promise<void>((done) => process.once('SIGINT', () => served.close().then(done)));
      return 0;
    }
    case 'study': {
      const { UsageError } = await import('./cli/parse-args');
      const [action, answersPath] = args.positional;
      if (action !== 'analyse' || !answersPath) {
        throw new UsageError(
          `bench study analyse <answers file or folder> [--out dir]\n\n${USAGE}`,
        );
      }
      const { writeStudyAnalysis } = await import('./study/write-study-analysis');
      const { markdown, files } = await writeStudyAnalysis(answersPath, args.out);
      console.log(markdown);
      console.log(`analysis written to ${files.join(', ')}`);
      return 0;
    }
    case 'worker': {
      const { startGridWorker } = await import('./grid/grid-worker');
      const worker = await startGridWorker({
        queue: requireQueue(args),
        ...(args.lockMs ? { lockDurationMs: args.lockMs } : {}),
        ...(args.stalledMs ? { stalledIntervalMs: args.stalledMs } : {}),
        ...(args.pushMs ? { pushEveryMs: args.pushMs } : {}),
      });
      // SIGINT/SIGTERM: finish the current job, then leave; a second signal leaves at once (the job stalls and moves on).
      await new Promise<void>((done) => {
        const stop = () => {
          process.once('SIGINT', () => process.exit(130));
          process.once('SIGTERM', () => process.exit(143));
          console.error('[worker] stopping after the current job');
          worker.close().then(done, done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      return 0;
    }
    case 'status': {
      const { gridJobs, formatGridStatus } = await import('./grid/grid-status');
      const queue = requireQueue(args);
      console.log(formatGridStatus(queue, await gridJobs(queue)));
      return 0;
    }
    default:
      throw new (await import('./cli/parse-args')).UsageError(
        `unknown command "${args.command}"; commands: run, list, report, serve, study, worker, status\n\n${USAGE}`,
      );
  }
}

/** The grid commands' `--queue redis://host:port`. */
function requireQueue(args: ReturnType<typeof parseArgs>): string {
  if (!args.queue)
    throw new UsageError(`bench ${args.command} needs --queue redis://host:port\n\n${USAGE}`);
  return args.queue;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    // Typed errors (TrustgradError's subclasses, UsageError) are messages for the user; anything else shows its stack.
    // By name, not instanceof, so this handler needs no import of tfjs-backed packages.
    const expected =
      error.name.endsWith('Error') && error.name !== 'Error' && error.name !== 'TypeError';
    console.error(expected ? `error: ${error.message}` : error.stack);
    process.exit(1);
  },
);

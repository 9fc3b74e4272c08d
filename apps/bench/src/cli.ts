#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
/**
 * `bench`: run experiments from presets or configs, list what is registered,
 * rebuild reports. See {@link USAGE}.
 */
import { join, resolve } from 'node:path';
import { TrustgradError } from '@trustgrad/core-tensor';
import { listPlugins } from './cli/list-plugins';
import { parseArgs, USAGE } from './cli/parse-args';
import { loadConfig } from './config/load-config';
import { loadPlugins } from './plugins/load-plugins';
import { renderReport } from './report/render-report';
import type { Results } from './results/results-types';
import { resultsMarkdown, writeResults } from './results/write-results';
import { runExperiment } from './run/run-experiment';

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help || !args.command) {
    console.log(USAGE);
    return args.command || args.help ? 0 : 1;
  }
  switch (args.command) {
    case 'run': {
      const config = loadConfig({ preset: args.preset, configFile: args.config, set: args.set });
      const out = args.out ?? join('results', config.preset);
      const results = await runExperiment(config, { out, resume: args.resume });
      console.log(resultsMarkdown(results));
      console.log(`results written to ${resolve(out)} (open report.html)`);
      return 0;
    }
    case 'list': {
      const config =
        args.preset || args.config
          ? loadConfig({ preset: args.preset, configFile: args.config, set: args.set })
          : null;
      if (config) await loadPlugins(config.plugins);
      console.log(listPlugins());
      return 0;
    }
    case 'report': {
      const dir = args.positional[0];
      if (!dir || !existsSync(join(dir, 'results.json'))) {
        throw new TrustgradError(
          `bench report needs a results folder holding results.json, got "${dir ?? ''}"`,
        );
      }
      const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
      writeResults(dir, results);
      console.log(`report written to ${await renderReport(dir)}`);
      return 0;
    }
    default:
      throw new TrustgradError(
        `unknown command "${args.command}"; commands: run, list, report\n\n${USAGE}`,
      );
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    const expected =
      error instanceof TrustgradError ||
      (error.name.endsWith('Error') && error.name !== 'Error' && error.name !== 'TypeError');
    console.error(expected ? `error: ${error.message}` : error.stack);
    process.exit(1);
  },
);

import { join } from 'node:path';
import { writeAtomic } from '@trustgrad/core-tensor';
import { metricRegistry } from '@trustgrad/metrics';
import type { ExperimentConfig } from '../config/schema';
import { type HeatmapIndex, renderReport } from '../report/render-report';
import type { Results } from '../results/results-types';
import { writeResults } from '../results/write-results';
import { aggregateSeeds } from './aggregate-seeds';
import { checkPaperDirections } from './findings';
import type { EpochPoint } from './train-variant';
import { type VariantOutcome, variantCell } from './variant-steps';

/**
 * Writes the results folder of SPEC 4.1 from every cell's outcome:
 * `results.json` (rows aggregated over seeds, findings), `heatmaps/index.json`,
 * `timings.json`, `curves.json` and `report.html`. `outcomes[s][k]` is variant
 * `k` under the `s`-th seed; a local run and the distributed grid both end here,
 * so the same outcomes give the same bytes.
 */
export async function writeExperiment(
  config: ExperimentConfig,
  out: string,
  {
    backendName,
    evaluatedImages,
    heatmapIndex,
    outcomes,
    totalSeconds,
  }: {
    backendName: string;
    /** How many test images were evaluated. */
    evaluatedImages: number;
    /** With the input images filled in; the entries are added here. */
    heatmapIndex: HeatmapIndex;
    outcomes: VariantOutcome[][];
    totalSeconds: number;
  },
): Promise<Results> {
  const seeds = config.seeds ?? [config.seed];
  const timings: Record<string, number> = {};
  const curves: Record<string, EpochPoint[]> = {};
  const perSeed = outcomes.map((cells, s) =>
    cells.flatMap((outcome, i) => {
      const { label, seedTag } = variantCell(config, seeds[s], i);
      timings[`train ${label}${seedTag}`] = outcome.trainSeconds;
      curves[`${label}${seedTag}`] = outcome.curve;
      timings[`evaluate ${label}${seedTag}`] = outcome.evaluateSeconds;
      // The grid shows the first seed's maps; the other seeds' files stay under heatmaps/.
      if (s === 0)
        for (const explainer of config.explainers)
          heatmapIndex.entries.push({
            variant: label,
            explainer,
            files: outcome.heatmapFiles[explainer] ?? [],
          });
      return outcome.rows;
    }),
  );
  const rows = perSeed.length > 1 ? aggregateSeeds(perSeed) : perSeed[0];
  const results: Results = {
    preset: config.preset,
    dataset: config.dataset.name,
    backend: backendName,
    seed: config.seed,
    ...(config.seeds ? { seeds: config.seeds } : {}),
    rows,
    model: config.model.name,
    evaluation: {
      images: evaluatedImages,
      seed: config.seed,
      correctlyClassifiedOnly: config.evaluation.correctlyClassified,
    },
    metricDefinitions: Object.fromEntries(
      config.metrics.map((name) => {
        const metric = metricRegistry.get(name);
        return [name, { description: metric.description, higherIsBetter: metric.higherIsBetter }];
      }),
    ),
    // Across seeds the findings compare seed-level CIs: the spread of retraining, not of the test images.
    findings: checkPaperDirections(rows.map((r) => (r.seedCi ? { ...r, ci: r.seedCi } : r))),
  };
  timings.total = totalSeconds;
  writeResults(out, results);
  writeAtomic(join(out, 'heatmaps', 'index.json'), JSON.stringify(heatmapIndex, null, 2));
  // Timings vary run to run, so they live beside results.json, keeping it reproducible under a seed.
  writeAtomic(join(out, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
  writeAtomic(join(out, 'curves.json'), `${JSON.stringify(curves, null, 2)}\n`);
  await renderReport(out);
  return results;
}

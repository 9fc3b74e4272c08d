import { type ResultsSource, readJson } from './results-source';

/** One row of `results.json` as the viewer shows it (the bench's `ResultRow`, the fields read here). */
export interface FolderRow {
  label?: string;
  training: string;
  smoothing: boolean;
  explainer: string;
  metrics: Record<string, number>;
  ci?: Record<string, [number, number]>;
}

/** What the viewer needs from a bench results folder. */
export interface ResultsFolder {
  source: ResultsSource;
  /** The test images the bench saved (`heatmaps/input_<i>.png`) and their class names. */
  inputs: Array<{ path: string; label: string }>;
  /** Variant labels (`ST`, `AT+FMS`, …) in the bench's order. */
  variants: string[];
  /** Explainer keys (`vg`, `ig`, …) in the bench's order. */
  explainers: string[];
  /** The checkpoint folder name of each variant (`checkpoints/<key>/final` holds its model). */
  modelKeys: Record<string, string>;
  /** Options the bench gave each explainer (`config.json`'s `explainerOptions`), reused for live maps. */
  explainerOptions: Record<string, Record<string, unknown>>;
  /** `results.json`'s rows: the folder's aggregate metrics per variant and explainer. */
  rows: FolderRow[];
  preset: string;
}

interface HeatmapIndex {
  inputs: string[];
  labels: string[];
  entries: Array<{ variant: string; explainer: string; files: string[] }>;
}

/** The viewer needs `heatmaps/index.json` (its images and variants); it fails naming what is missing. */
export class ResultsFolderError extends Error {
  override name = 'ResultsFolderError';
}

/**
 * Opens a bench results folder: `heatmaps/index.json` (inputs, labels,
 * variants × explainers and their heatmap files, whose names start with the
 * variant's checkpoint key), `results.json` (rows) and `config.json`
 * (explainer options).
 */
export async function openResultsFolder(source: ResultsSource): Promise<ResultsFolder> {
  const index = await readJson<HeatmapIndex>(source, 'heatmaps/index.json');
  if (!index) {
    throw new ResultsFolderError(
      `${source.label}: no heatmaps/index.json; open a folder written by \`bench run\` (it holds results.json, heatmaps/ and checkpoints/)`,
    );
  }
  const results = await readJson<{ preset?: string; rows?: FolderRow[] }>(source, 'results.json');
  const config = await readJson<{ explainerOptions?: ResultsFolder['explainerOptions'] }>(
    source,
    'config.json',
  );
  const variants: string[] = [];
  const explainers: string[] = [];
  const modelKeys: Record<string, string> = {};
  for (const entry of index.entries) {
    if (!variants.includes(entry.variant)) variants.push(entry.variant);
    if (!explainers.includes(entry.explainer)) explainers.push(entry.explainer);
    const file = entry.files[0]?.split('/').pop();
    const marker = `_${entry.explainer}_`;
    if (file?.includes(marker))
      modelKeys[entry.variant] ??= file.slice(0, file.lastIndexOf(marker));
  }
  return {
    source,
    inputs: index.inputs.map((path, i) => ({ path, label: index.labels[i] ?? `image ${i}` })),
    variants,
    explainers,
    modelKeys,
    explainerOptions: config?.explainerOptions ?? {},
    rows: results?.rows ?? [],
    preset: results?.preset ?? source.label,
  };
}

/** The variant a row belongs to: its `label` (the bench writes one per row, as heatmaps/index.json names variants). */
export function rowVariant(row: FolderRow): string {
  return row.label ?? `${row.training}${row.smoothing ? ' smoothed' : ''}`;
}

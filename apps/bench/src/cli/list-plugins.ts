import { attackRegistry, objectiveRegistry } from '@trustgrad/adversarial-trainer';
import { attributionRegistry, layerAttributionRegistry } from '@trustgrad/attribution';
import { modelRegistry } from '@trustgrad/core-tensor';
import { datasetRegistry } from '@trustgrad/datasets';
import { metricRegistry } from '@trustgrad/metrics';
import { PRESETS } from '../config/presets';

/** The text of `bench list`: presets and every registered plugin, built-in or loaded. */
export function listPlugins(): string {
  const section = (title: string, lines: string[]) =>
    `${title}\n${lines.map((l) => `  ${l}`).join('\n')}`;
  return [
    section(
      'presets',
      Object.entries(PRESETS).map(([name, p]) => `${name.padEnd(14)} ${p.describe}`),
    ),
    section(
      'datasets',
      datasetRegistry.list().map((d) => `${d.name.padEnd(14)} ${d.description}`),
    ),
    section(
      'models',
      modelRegistry.list().map((m) => `${m.name.padEnd(20)} ${m.description}`),
    ),
    section(
      'objectives (training)',
      objectiveRegistry.list().map((o) => `${o.name.padEnd(24)} ${o.description}`),
    ),
    section(
      'attacks',
      attackRegistry.list().map((a) => `${a.name.padEnd(14)} ${a.description}`),
    ),
    section(
      'attributions (explainers)',
      attributionRegistry.list().map((a) => `${a.name.padEnd(20)} ${a.description}`),
    ),
    section(
      'layer attributions (explainLayer, maps of a layer)',
      layerAttributionRegistry.list().map((a) => `${a.name.padEnd(28)} ${a.description}`),
    ),
    section(
      'metrics',
      metricRegistry
        .list()
        .map((m) => `${m.name.padEnd(24)} ${m.higherIsBetter ? '↑' : '↓'} ${m.description}`),
    ),
  ].join('\n\n');
}

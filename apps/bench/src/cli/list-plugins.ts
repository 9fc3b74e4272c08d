import { attacks, objectives } from '@trustgrad/adversarial-trainer';
import { attributionMethods } from '@trustgrad/attribution';
import { datasetRegistry } from '@trustgrad/datasets';
import { metricRegistry } from '@trustgrad/metrics';
import { PRESETS } from '../config/presets';
import { modelRegistry } from '../models/model-registry';
import { EXPLAINER_ALIASES } from '../run/explainer-names';

/** The text of `bench list`: presets and every registered plugin, built-in or loaded. */
export function listPlugins(): string {
  const section = (title: string, lines: string[]) =>
    `${title}\n${lines.map((l) => `  ${l}`).join('\n')}`;
  const aliasOf = (name: string) =>
    Object.entries(EXPLAINER_ALIASES).find(([, v]) => v === name)?.[0];
  return [
    section(
      'presets',
      Object.entries(PRESETS).map(([name, p]) => `${name.padEnd(14)} ${p.describe}`),
    ),
    section(
      'datasets',
      datasetRegistry.list().map((d) => `${d.name.padEnd(14)} ${d.describe().title}`),
    ),
    section(
      'models',
      modelRegistry.list().map((m) => `${m.name.padEnd(20)} ${m.description}`),
    ),
    section('objectives (training)', objectives.names()),
    section(
      'attacks',
      attacks.list().map((a) => `${a.name.padEnd(14)} ${a.description}`),
    ),
    section(
      'attributions (explainers)',
      attributionMethods.names().map((n) => (aliasOf(n) ? `${n} (as "${aliasOf(n)}")` : n)),
    ),
    section(
      'metrics',
      metricRegistry
        .list()
        .map((m) => `${m.name.padEnd(24)} ${m.higherIsBetter ? '↑' : '↓'} ${m.describe}`),
    ),
  ].join('\n\n');
}
